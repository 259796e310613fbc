package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.engine.checkpoint.CheckpointFormat;
import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A denoise stopped after any step and continued from its checkpoint, in a fresh engine. */
class DenoiserResumeTest {

  private static final int STEPS = 12;

  private static GenerationSpec spec(String sampler, double eta, long seed) {
    return GenerationSpec.textToImage(
            "a red circle on a blue background", "", 64, 64, STEPS, 5.0, sampler, seed, 2)
        .withEta(eta);
  }

  @ParameterizedTest(name = "{0} eta={1} after step {2}")
  @CsvSource({
    "ddim, 0, 8",
    "ddim, 0.7, 8",
    "euler, 0, 6",
    "euler_a, 0, 1",
    "euler_a, 0, 8",
    "euler_a, 0, 11",
    "dpmpp_2m_karras, 0, 1",
    "dpmpp_2m_karras, 0, 8"
  })
  void aResumedDenoiseGivesTheImagesOfAnUninterruptedOneBitForBit(
      String sampler, double eta, int stoppedAfter) {
    GenerationSpec spec = spec(sampler, eta, 1234L);
    Uninterrupted run = runSaving(spec, stoppedAfter);
    DenoiseCheckpoint reread = CheckpointFormat.read(CheckpointFormat.write(run.checkpoint()));

    GenerationOutput resumed =
        new Denoiser().generate(TinyShapes.model(), spec, StepListener.NONE, reread);

    assertThat(resumed.resumeRefused()).isNull();
    assertThat(resumed.resumedFromStep()).isEqualTo(stoppedAfter);
    assertThat(resumed.steps()).isEqualTo(STEPS - stoppedAfter);
    assertSamePixels(resumed, run.output());
  }

  @Test
  void anImageToImageDenoiseResumesAfterItsLaterStart() {
    GenerationSpec spec = spec("dpmpp_2m_karras", 0, 77L).withInitImage(square(), 0.5);
    Uninterrupted run = runSaving(spec, 3);

    GenerationOutput resumed =
        new Denoiser().generate(TinyShapes.model(), spec, StepListener.NONE, run.checkpoint());

    assertThat(resumed.resumedFromStep()).isEqualTo(STEPS / 2 + 3);
    assertSamePixels(resumed, run.output());
  }

  @Test
  void aCheckpointOfAnotherGenerationIsRefusedAndTheDenoiseStartsOver() {
    AtomicReference<DenoiseCheckpoint> other = new AtomicReference<>();
    new Denoiser()
        .generate(TinyShapes.model(), spec("euler_a", 0, 1L), step -> other.set(step.checkpoint()));
    GenerationSpec spec = spec("euler_a", 0, 2L);
    GenerationOutput fresh = new Denoiser().generate(TinyShapes.model(), spec, StepListener.NONE);

    GenerationOutput refused =
        new Denoiser().generate(TinyShapes.model(), spec, StepListener.NONE, other.get());

    assertThat(refused.resumedFromStep()).isNull();
    assertThat(refused.resumeRefused()).contains("another model, seed or parameters");
    assertThat(refused.steps()).isEqualTo(STEPS);
    assertSamePixels(refused, fresh);
  }

  @Test
  void aCheckpointWhoseSamplerMemoryDoesNotFitIsRefused() {
    GenerationSpec spec = spec("dpmpp_2m_karras", 0, 5L);
    Uninterrupted run = runSaving(spec, 4);
    DenoiseCheckpoint saved = run.checkpoint();
    DenoiseCheckpoint forgetful =
        new DenoiseCheckpoint(
            saved.fingerprint(),
            saved.nextStep(),
            saved.latents(),
            new SamplerMemory(3, null),
            saved.noise());

    GenerationOutput refused =
        new Denoiser().generate(TinyShapes.model(), spec, StepListener.NONE, forgetful);

    assertThat(refused.resumeRefused()).contains("prediction");
    assertSamePixels(refused, run.output());
  }

  private record Uninterrupted(GenerationOutput output, DenoiseCheckpoint checkpoint) {}

  /** A whole run, keeping the checkpoint it handed out after step {@code stoppedAfter}. */
  private static Uninterrupted runSaving(GenerationSpec spec, int stoppedAfter) {
    AtomicReference<DenoiseCheckpoint> saved = new AtomicReference<>();
    GenerationOutput output =
        new Denoiser()
            .generate(
                TinyShapes.model(),
                spec,
                step -> {
                  if (step.step() == stoppedAfter) {
                    saved.set(step.checkpoint());
                  }
                });
    return new Uninterrupted(output, saved.get());
  }

  private static BufferedImage square() {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 64);
    g.setColor(Color.GREEN);
    g.fillRect(16, 16, 32, 32);
    g.dispose();
    return image;
  }

  private static void assertSamePixels(GenerationOutput actual, GenerationOutput expected) {
    List<GeneratedImage> a = actual.images();
    List<GeneratedImage> e = expected.images();
    assertThat(a).hasSameSizeAs(e);
    for (int i = 0; i < a.size(); i++) {
      assertThat(rgb(a.get(i).image())).as("image %d", i).isEqualTo(rgb(e.get(i).image()));
    }
  }

  private static int[] rgb(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
