package dev.durablediffusion.engine.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablediffusion.engine.Denoiser;
import dev.durablediffusion.engine.DiffusionModel;
import dev.durablediffusion.engine.GenerationOutput;
import dev.durablediffusion.engine.GenerationSpec;
import dev.durablediffusion.engine.NpyArray;
import dev.durablediffusion.engine.bundle.BundleVerifier;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against diffusers' own StableDiffusionPipeline on the same tiny bundles (SD 1.x:
 * epsilon, end-of-text padding; SD 2.x: v-prediction, linear projections, GELU text encoder,
 * padding with 0; both with the real CLIP tokenizer and random weights) from the same start
 * latents, as {@code tools/sd_parity_reference.py} recorded them: the final latents within 1e-4
 * and every image channel within 1/255. Guidance 1 or less turns classifier-free guidance off on
 * both sides.
 */
class DiffusersPipelineParityTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path scratch;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sd1", "sd2"})
  void ddimAtEtaZeroGivesDiffusersImagesAndLatents(String family) throws Exception {
    assertParity(resource("models/tiny-" + family), resource("parity/" + family + "-ddim"));
  }

  /**
   * SD-Turbo samples with Euler on "trailing" timesteps and no classifier-free guidance: the tiny SD
   * 2.x weights with that scheduler config, in 1 and 4 steps.
   */
  @ParameterizedTest(name = "{0} step(s)")
  @ValueSource(ints = {1, 4})
  void eulerOnTrailingTimestepsWithoutGuidanceGivesDiffusersImages(int steps) throws Exception {
    Path parity = resource("parity/sd2-turbo-" + steps + "-step");
    JsonNode scheduler = MAPPER.readTree(parity.resolve("run.json").toFile()).get("scheduler");
    Path bundle = scratch.resolve("tiny-sd2-turbo");
    Files.createDirectories(bundle);
    try (Stream<Path> files = Files.list(resource("models/tiny-sd2"))) {
      for (Path file : files.toList()) {
        Files.copy(file, bundle.resolve(file.getFileName()));
      }
    }
    ObjectNode manifest = (ObjectNode) MAPPER.readTree(bundle.resolve("manifest.json").toFile());
    manifest.set("scheduler", scheduler);
    MAPPER.writeValue(bundle.resolve("manifest.json").toFile(), manifest);

    assertParity(bundle, parity);
  }

  private static void assertParity(Path bundle, Path parity) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    JsonNode run = MAPPER.readTree(parity.resolve("run.json").toFile());
    NpyArray start = NpyArray.read(Files.readAllBytes(parity.resolve("start-latents.npy")));
    NpyArray expectedLatents =
        NpyArray.read(Files.readAllBytes(parity.resolve("final-latents.npy")));
    int images = run.get("num_images_per_prompt").asInt();
    GenerationSpec spec =
        GenerationSpec.textToImage(
                run.get("prompt").asText(),
                run.get("negative_prompt").asText(),
                run.get("width").asInt(),
                run.get("height").asInt(),
                run.get("num_inference_steps").asInt(),
                run.get("guidance_scale").asDouble(),
                run.get("sampler").asText(),
                0L,
                images)
            .withInitialLatents(start.values());
    AtomicReference<float[]> finalLatents = new AtomicReference<>();

    GenerationOutput output;
    try (DiffusionModel model = DiffusionModel.load(BundleVerifier.verify(bundle), Device.cpu())) {
      output =
          new Denoiser()
              .generate(
                  model,
                  spec,
                  step -> {
                    if (step.step() == step.total()) {
                      finalLatents.set(step.checkpoint().latents());
                    }
                  });
    }

    float[] latents = finalLatents.get();
    assertThat(latents).hasSameSizeAs(expectedLatents.values());
    for (int i = 0; i < latents.length; i++) {
      assertThat((double) latents[i])
          .as("final latent %d", i)
          .isCloseTo(expectedLatents.values()[i], within(1e-4));
    }
    for (int i = 0; i < images; i++) {
      BufferedImage expected = ImageIO.read(parity.resolve("image-" + i + ".png").toFile());
      BufferedImage actual = output.images().get(i).image();
      int worst = 0;
      for (int y = 0; y < expected.getHeight(); y++) {
        for (int x = 0; x < expected.getWidth(); x++) {
          worst = Math.max(worst, channelDifference(actual.getRGB(x, y), expected.getRGB(x, y)));
        }
      }
      assertThat(worst).as("image %d, largest channel difference", i).isLessThanOrEqualTo(1);
    }
  }

  private static int channelDifference(int a, int b) {
    int worst = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      worst = Math.max(worst, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
    }
    return worst;
  }

  private static Path resource(String name) throws Exception {
    return Path.of(DiffusersPipelineParityTest.class.getResource("/" + name).toURI());
  }
}
