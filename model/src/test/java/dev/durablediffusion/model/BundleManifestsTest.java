package dev.durablediffusion.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundleManifestsTest {

  /** The manifest of the bundle the engine ships. */
  private static String shippedManifest() throws IOException {
    return Files.readString(
        Path.of("..", "engine", "src", "main", "resources", "models", "tiny-shapes", "manifest.json"));
  }

  @Test
  void theShippedManifestParses() throws IOException {
    BundleManifest manifest =
        BundleManifests.parse(shippedManifest().getBytes(StandardCharsets.UTF_8), "tiny-shapes");

    assertThat(manifest.version()).isEqualTo("1.0.0");
  }

  @Test
  void aManifestWithoutAVersionIsRefused() throws IOException {
    String withoutVersion = shippedManifest().replace("\"version\": \"1.0.0\",", "");

    assertThatThrownBy(
            () -> BundleManifests.parse(withoutVersion.getBytes(StandardCharsets.UTF_8), "unnamed"))
        .isInstanceOfSatisfying(
            InvalidBundleException.class, e -> assertThat(e.file()).isEqualTo("manifest.json"))
        .hasMessageContaining("model bundle unnamed")
        .hasMessageContaining("version is missing");
  }
}
