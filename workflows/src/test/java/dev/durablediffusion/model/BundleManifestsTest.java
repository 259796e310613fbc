package dev.durablediffusion.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BundleManifestsTest {

  private static String shippedManifest() throws IOException {
    try (InputStream in =
        BundleManifestsTest.class.getResourceAsStream("/tiny-shapes-manifest.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
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
