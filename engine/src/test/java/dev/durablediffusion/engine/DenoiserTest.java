package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.engine.sampler.SeededNoise;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.GenerationLimits;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DenoiserTest {

  private final Denoiser denoiser = new Denoiser();

  private static GenerationSpec spec(String prompt, Long seed, int images) {
    return GenerationSpec.textToImage(prompt, "", 64, 64, 20, 5.0, "ddim", seed, images);
  }

  @Test
  void theSameSeedGivesTheSamePixels() {
    GenerationOutput first =
        denoiser.generate(
            TinyShapes.model(),
            spec("a red circle on a blue background", 42L, 1),
            StepListener.NONE);
    GenerationOutput second =
        denoiser.generate(
            TinyShapes.model(),
            spec("a red circle on a blue background", 42L, 1),
            StepListener.NONE);

    assertThat(pixels(first.images().get(0).image()))
        .isEqualTo(pixels(second.images().get(0).image()));
    assertThat(first.seed()).isEqualTo(42L);
  }

  @Test
  void eachImageOfABatchHasItsOwnSeedAndLooksDifferent() {
    GenerationOutput output =
        denoiser.generate(
            TinyShapes.model(),
            spec("a green square on a white background", 7L, 4),
            StepListener.NONE);

    assertThat(output.images()).extracting(GeneratedImage::seed).containsExactly(7L, 8L, 9L, 10L);
    List<int[]> all = output.images().stream().map(i -> pixels(i.image())).toList();
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        assertThat(meanAbsoluteDifference(all.get(i), all.get(j)))
            .as("images %d and %d", i, j)
            .isGreaterThan(5);
      }
    }
  }

  @Test
  void withoutASeedOneIsDrawnAndReturned() {
    GenerationOutput output =
        denoiser.generate(
            TinyShapes.model(),
            spec("a blue circle on a yellow background", null, 1),
            StepListener.NONE);

    GenerationOutput again =
        denoiser.generate(
            TinyShapes.model(),
            spec("a blue circle on a yellow background", output.seed(), 1),
            StepListener.NONE);
    assertThat(pixels(again.images().get(0).image()))
        .isEqualTo(pixels(output.images().get(0).image()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "euler", "euler_a", "dpmpp_2m_karras"})
  void everySamplerDrawsWhatThePromptAsks(String sampler) {
    GenerationSpec spec =
        GenerationSpec.textToImage(
            "a yellow square on a purple background", "", 64, 64, 25, 5.0, sampler, 11L, 1);
    BufferedImage image =
        denoiser.generate(TinyShapes.model(), spec, StepListener.NONE).images().get(0).image();

    assertThat(ShapesJudge.judge(image))
        .isEqualTo(new ShapesJudge.Verdict("yellow", "purple", "square"));
  }

  @Test
  void reportsEveryStepWithAnEstimateAndAPreviewOnRequest() {
    List<StepProgress> steps = new ArrayList<>();
    List<BufferedImage> previews = new ArrayList<>();
    denoiser.generate(
        TinyShapes.model(),
        spec("a red triangle on a black background", 1L, 1).withPreviews(true),
        step -> {
          steps.add(step);
          previews.add(step.preview().get());
        });

    assertThat(steps).extracting(StepProgress::step).containsExactlyElementsOf(range(1, 20));
    assertThat(steps).allSatisfy(s -> assertThat(s.total()).isEqualTo(20));
    assertThat(steps.get(19).etaMillis()).isZero();
    assertThat(previews).allSatisfy(p -> assertThat(p.getWidth()).isEqualTo(64));
  }

  @Test
  void aListenerThatThrowsStopsTheGenerationAtThatStep() {
    AtomicInteger seen = new AtomicInteger();
    assertThatThrownBy(
            () ->
                denoiser.generate(
                    TinyShapes.model(),
                    spec("a red circle on a blue background", 3L, 2),
                    step -> {
                      seen.incrementAndGet();
                      if (step.step() == 5) {
                        throw new GenerationCanceledException(step.step(), step.total());
                      }
                    }))
        .isInstanceOf(GenerationCanceledException.class);
    assertThat(seen).hasValue(5);
  }

  @Test
  void aPromptLongerThanTheTextWindowIsTruncatedAndSaysSo() {
    String longPrompt =
        "a red circle on a blue background " + "with more words than sixteen tokens ".repeat(4);

    GenerationOutput output =
        denoiser.generate(TinyShapes.model(), spec(longPrompt, 5L, 1), StepListener.NONE);

    assertThat(output.promptTruncated()).isTrue();
    assertThat(
            denoiser
                .generate(TinyShapes.model(), spec("a red circle", 5L, 1), StepListener.NONE)
                .promptTruncated())
        .isFalse();
  }

  @Test
  void aNegativePromptLongerThanTheTextWindowIsTruncatedAndSaysSo() {
    String longNegative = "blurry " + "with more words than sixteen tokens ".repeat(4);

    GenerationOutput output =
        denoiser.generate(
            TinyShapes.model(),
            GenerationSpec.textToImage(
                "a red circle", longNegative, 64, 64, 20, 5.0, "ddim", 5L, 1),
            StepListener.NONE);

    assertThat(output.negativePromptTruncated()).isTrue();
    assertThat(output.promptTruncated()).isFalse();
  }

  /**
   * Guidance computes {@code u + g (c - u)} with the negative prompt as {@code u}: a negative
   * prompt equal to the prompt leaves {@code c}, the unguided image.
   */
  @Test
  void theNegativePromptIsWhatGuidanceSteersAwayFrom() {
    String prompt = "a yellow triangle on a purple background";

    int[] unguided = pixels(image(prompt, "", 1.0));
    int[] steeredFromItself = pixels(image(prompt, prompt, 5.0));
    int[] steeredFromNothing = pixels(image(prompt, "", 5.0));

    assertThat(meanAbsoluteDifference(steeredFromItself, unguided)).isLessThan(1);
    assertThat(meanAbsoluteDifference(steeredFromNothing, unguided)).isGreaterThan(5);
  }

  @Test
  void anEmptyPromptIsAcceptedWhenANegativePromptIsGiven() {
    BufferedImage image = image("", "a red circle on a blue background", 5.0);

    assertThat(image.getWidth()).isEqualTo(64);
  }

  @Test
  void perImageSeedsWrapToStayValidSeeds() {
    GenerationOutput output =
        denoiser.generate(
            TinyShapes.model(),
            spec("a red circle", GenerationLimits.MAX_SEED, 2),
            StepListener.NONE);

    assertThat(output.images())
        .extracting(GeneratedImage::seed)
        .containsExactly(GenerationLimits.MAX_SEED, 0L);
  }

  private BufferedImage image(String prompt, String negativePrompt, double guidance) {
    return denoiser
        .generate(
            TinyShapes.model(),
            GenerationSpec.textToImage(prompt, negativePrompt, 64, 64, 20, guidance, "ddim", 3L, 1),
            StepListener.NONE)
        .images()
        .get(0)
        .image();
  }

  @Test
  void imageToImageKeepsTheInitImageAtLowStrength() {
    BufferedImage init =
        denoiser
            .generate(
                TinyShapes.model(),
                spec("a white circle on a green background", 21L, 1),
                StepListener.NONE)
            .images()
            .get(0)
            .image();
    GenerationSpec img2img = spec("a white circle on a green background", 99L, 1);

    BufferedImage gentle =
        denoiser
            .generate(TinyShapes.model(), img2img.withInitImage(init, 0.3), StepListener.NONE)
            .images()
            .get(0)
            .image();
    BufferedImage strong =
        denoiser
            .generate(TinyShapes.model(), img2img.withInitImage(init, 1.0), StepListener.NONE)
            .images()
            .get(0)
            .image();

    double gentleChange = meanAbsoluteDifference(pixels(init), pixels(gentle));
    assertThat(gentleChange).isLessThan(meanAbsoluteDifference(pixels(init), pixels(strong)));
    assertThat(gentleChange).isLessThan(15);
  }

  @Test
  void refusesParametersTheModelCannotHonourNamingEachField() {
    GenerationSpec bad =
        new GenerationSpec("", "", 32, 64, 0, 31, "plms", 2.0, -1L, 5, null, 1.0, false, null);

    assertThatThrownBy(() -> denoiser.generate(TinyShapes.model(), bad, StepListener.NONE))
        .isInstanceOfSatisfying(
            InvalidGenerationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                        "prompt",
                        "width",
                        "steps",
                        "guidance_scale",
                        "sampler",
                        "seed",
                        "num_images",
                        "eta"));
  }

  @Test
  void refusesAStrengthThatLeavesNoStep() {
    BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);

    assertThatThrownBy(
            () ->
                denoiser.generate(
                    TinyShapes.model(),
                    spec("a red circle", 1L, 1).withInitImage(init, 0.01),
                    StepListener.NONE))
        .isInstanceOfSatisfying(
            InvalidGenerationException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("strength"));
  }

  @Test
  void givenStartLatentsReplaceTheSeededNoise() throws Exception {
    GenerationSpec spec = spec("a red circle on a blue background", 3L, 2);
    float[] seeded = new float[2 * 4 * 16 * 16];
    new SeededNoise(List.of(3L, 4L), 4 * 16 * 16).fill(seeded);
    float[] shipped = NpyArray.read(NpyArrayTest.shipped()).values();

    GenerationOutput fromSeeds = denoiser.generate(TinyShapes.model(), spec, StepListener.NONE);
    GenerationOutput fromTheSameNoise =
        denoiser.generate(TinyShapes.model(), spec.withInitialLatents(seeded), StepListener.NONE);
    GenerationOutput fromOtherNoise =
        denoiser.generate(TinyShapes.model(), spec.withInitialLatents(shipped), StepListener.NONE);

    for (int i = 0; i < 2; i++) {
      assertThat(pixels(fromTheSameNoise.images().get(i).image()))
          .isEqualTo(pixels(fromSeeds.images().get(i).image()));
      assertThat(meanAbsoluteDifference(
              pixels(fromOtherNoise.images().get(i).image()),
              pixels(fromSeeds.images().get(i).image())))
          .isGreaterThan(1);
    }
  }

  @Test
  void startLatentsOfTheWrongSizeOrBesideAStartImageAreRefused() {
    GenerationSpec spec = spec("a red circle", 3L, 2);

    assertThatThrownBy(
            () ->
                denoiser.generate(
                    TinyShapes.model(), spec.withInitialLatents(new float[1024]), StepListener.NONE))
        .isInstanceOfSatisfying(
            InvalidGenerationException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        new FieldError(
                            "latents", "holds 1024 values; 2 images of 4×16×16 need 2048")));
    BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    assertThatThrownBy(
            () ->
                denoiser.generate(
                    TinyShapes.model(),
                    spec.withInitImage(init, 0.5).withInitialLatents(new float[2048]),
                    StepListener.NONE))
        .isInstanceOf(InvalidGenerationException.class)
        .hasMessageContaining("latents");
  }

  static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  static double meanAbsoluteDifference(int[] a, int[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      for (int shift = 0; shift <= 16; shift += 8) {
        sum += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
      }
    }
    return sum / (3.0 * a.length);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
