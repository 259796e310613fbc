package dev.durablediffusion.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.model.Digests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyRingTest {

  @TempDir Path dir;

  @Test
  void keysFromTheHashFileWorkAndARevokedOneStopsAfterTheReload() throws Exception {
    Path file = dir.resolve("api-key-hashes");
    Files.writeString(
        file, "# tenants\nacme:" + hash("key-1") + "\nglobex:" + hash("key-2") + "\n");
    try (ApiKeyRing ring = new ApiKeyRing(ApiKeys.parse("dev:key-0"), file, Duration.ofHours(1))) {
      assertThat(ring.tenantOf("key-1")).contains("acme");
      assertThat(ring.tenantOf("key-0")).contains("dev");

      Files.writeString(file, "globex:" + hash("key-2") + "\n");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      ring.reloadIfChanged();

      assertThat(ring.tenantOf("key-1")).isEmpty();
      assertThat(ring.tenantOf("key-2")).contains("globex");
      assertThat(ring.tenantOf("key-0")).contains("dev");
    }
  }

  @Test
  void aBrokenFileKeepsThePreviousKeys() throws Exception {
    Path file = dir.resolve("api-key-hashes");
    Files.writeString(file, "acme:" + hash("key-1"));
    try (ApiKeyRing ring = new ApiKeyRing(ApiKeys.parse(""), file, Duration.ofHours(1))) {
      Files.writeString(file, "acme:not-a-hash");
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
      ring.reloadIfChanged();

      assertThat(ring.tenantOf("key-1")).contains("acme");
    }
  }

  @Test
  void aMalformedLineNamesItsNumberButNeverItsContent() {
    assertThatThrownBy(() -> ApiKeys.parseHashes("acme:" + hash("k") + "\nplain-key-by-mistake"))
        .hasMessageContaining("line 2")
        .hasMessageNotContaining("plain-key-by-mistake");
  }

  private static String hash(String key) {
    return Digests.sha256(key.getBytes(StandardCharsets.UTF_8));
  }
}
