package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablediffusion.engine.bundle.BundleVerifier;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.model.InvalidBundleException;
import dev.durablediffusion.model.Digests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles that are broken in each way fail with the bundle and the file named, never a crash. */
class BundleLoadingTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void theShippedBundlesMatchTheirManifests() {
    VerifiedBundle model = TinyShapes.bundle(TinyShapes.MODEL);
    VerifiedBundle upscaler = TinyShapes.bundle(TinyShapes.UPSCALER);

    assertThat(model.manifest().isLatentDiffusion()).isTrue();
    assertThat(upscaler.manifest().isUpscaler()).isTrue();
    assertThat(model.bytes() + upscaler.bytes()).isLessThanOrEqualTo(20L * 1024 * 1024);
  }

  @Test
  void aCorruptedComponentIsNamed() throws IOException {
    Path dir = copyOfShippedBundle();
    Path vae = dir.resolve("vae_decoder.pt");
    byte[] bytes = Files.readAllBytes(vae);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(vae, bytes);

    assertThatThrownBy(() -> BundleVerifier.verify(dir))
        .isInstanceOfSatisfying(
            InvalidBundleException.class,
            e -> {
              assertThat(e.bundle()).isEqualTo("tiny-shapes");
              assertThat(e.file()).isEqualTo("vae_decoder.pt");
            })
        .hasMessageContaining("corrupted");
  }

  @Test
  void aTruncatedComponentIsNamedBeforeItIsHashed() throws IOException {
    Path dir = copyOfShippedBundle();
    Path unet = dir.resolve("unet.pt");
    byte[] bytes = Files.readAllBytes(unet);
    Files.write(unet, Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> BundleVerifier.verify(dir))
        .isInstanceOfSatisfying(
            InvalidBundleException.class, e -> assertThat(e.file()).isEqualTo("unet.pt"))
        .hasMessageContaining("has " + bytes.length / 2 + " bytes, manifest says " + bytes.length);
  }

  @Test
  void aMissingComponentIsNamed() throws IOException {
    Path dir = copyOfShippedBundle();
    Files.delete(dir.resolve("unet.pt"));

    assertThatThrownBy(() -> BundleVerifier.verify(dir))
        .isInstanceOfSatisfying(
            InvalidBundleException.class, e -> assertThat(e.file()).isEqualTo("unet.pt"))
        .hasMessageContaining("missing");
  }

  @Test
  void anUnknownKindIsRefused() throws IOException {
    Path dir = copyOfShippedBundle();
    rewriteManifest(dir, "\"kind\": \"latent-diffusion\"", "\"kind\": \"video-diffusion\"");

    assertThatThrownBy(() -> BundleVerifier.verify(dir))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("kind 'video-diffusion' is unknown");
  }

  @Test
  void anUnsupportedSchedulerIsRefusedAtLoad() throws IOException {
    Path dir = copyOfShippedBundle();
    rewriteManifest(dir, "\"prediction_type\": \"epsilon\"", "\"prediction_type\": \"sample\"");

    assertThatThrownBy(() -> DiffusionModel.load(BundleVerifier.verify(dir), Device.cpu()))
        .isInstanceOfSatisfying(
            InvalidBundleException.class, e -> assertThat(e.file()).isEqualTo("manifest.json"))
        .hasMessageContaining("tiny-shapes")
        .hasMessageContaining("scheduler.prediction_type: unsupported value 'sample'");
  }

  @Test
  void aFileThatIsNotTorchScriptFailsCleanly() throws IOException {
    Path dir = copyOfShippedBundle();
    byte[] garbage = "this is not a TorchScript archive".getBytes();
    replaceComponent(dir, "text_encoder.pt", garbage);

    assertThatThrownBy(() -> DiffusionModel.load(BundleVerifier.verify(dir), Device.cpu()))
        .isInstanceOfSatisfying(
            InvalidBundleException.class, e -> assertThat(e.file()).isEqualTo("text_encoder.pt"))
        .hasMessageContaining("not a loadable TorchScript module");
  }

  @Test
  void aModuleWithTheWrongShapeIsNamed() throws IOException {
    Path dir = copyOfShippedBundle();
    replaceComponent(dir, "unet.pt", Files.readAllBytes(dir.resolve("vae_decoder.pt")));

    assertThatThrownBy(() -> DiffusionModel.load(BundleVerifier.verify(dir), Device.cpu()))
        .isInstanceOfSatisfying(
            InvalidBundleException.class, e -> assertThat(e.file()).isEqualTo("unet.pt"));
  }

  private Path copyOfShippedBundle() throws IOException {
    Path source = TinyShapes.bundle(TinyShapes.MODEL).directory();
    Path dir = temp.resolve("tiny-shapes");
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    return dir;
  }

  /** Swaps a component's file and updates its checksum and size, as an exporter would. */
  private static void replaceComponent(Path dir, String file, byte[] bytes) throws IOException {
    Files.write(dir.resolve(file), bytes);
    Path manifest = dir.resolve("manifest.json");
    JsonNode json = JSON.readTree(manifest.toFile());
    for (JsonNode component : json.get("components")) {
      if (component.get("file").asText().equals(file)) {
        ((ObjectNode) component).put("sha256", Digests.sha256(bytes)).put("bytes", bytes.length);
      }
    }
    JSON.writeValue(manifest.toFile(), json);
  }

  private static void rewriteManifest(Path dir, String from, String to) throws IOException {
    Path manifest = dir.resolve("manifest.json");
    String json = Files.readString(manifest);
    assertThat(json).contains(from);
    Files.writeString(manifest, json.replace(from, to));
  }
}
