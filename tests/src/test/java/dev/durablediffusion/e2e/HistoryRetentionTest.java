package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished generation stays readable when the Temporal server no longer has its history (a
 * cluster's retention ran out, or a new server): here the whole platform restarts on a fresh test
 * server over the same storage.
 */
class HistoryRetentionTest {

  private static final Map<String, Object> SETTINGS =
      Map.of(
          "dd.api.keys",
          "a:key-a,b:key-b",
          "dd.api.url-signing-key",
          Base64.getEncoder().encodeToString("a-signing-key-of-at-least-32-bytes".getBytes()));

  @TempDir Path data;

  @Test
  void aFinishedGenerationIsServedFromStorageOnceItsHistoryIsGone() throws Exception {
    String id;
    JsonNode before;
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform = new InProcessPlatform(temporal, data, SETTINGS)) {
      ApiClient a = new ApiClient(platform.port(), "key-a");
      id =
          a.submit(
              """
              {"prompt": "an orange square on a green background", "steps": 4,
               "metadata": {"order": "17"}}""");
      before = a.awaitEnd(id, Duration.ofMinutes(2));
    }

    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform = new InProcessPlatform(temporal, data, SETTINGS)) {
      ApiClient a = new ApiClient(platform.port(), "key-a");
      ApiClient b = new ApiClient(platform.port(), "key-b");

      ApiClient.Response after = a.get("/v1/generations/" + id);
      JsonNode listed = a.get("/v1/generations").json().get("data").get(0);

      assertThat(after.status()).isEqualTo(200);
      assertThat(after.json().get("status").asText()).isEqualTo("succeeded");
      assertThat(after.json().get("outputs").get(0).get("sha256"))
          .isEqualTo(before.get("outputs").get(0).get("sha256"));
      assertThat(after.json().get("input").get("metadata").get("order").asText()).isEqualTo("17");
      assertThat(after.json().get("timings_ms")).isEqualTo(before.get("timings_ms"));
      assertThat(a.get(after.json().get("outputs").get(0).get("url").asText()).status())
          .isEqualTo(200);
      assertThat(listed.get("id").asText()).isEqualTo(id);
      assertThat(b.get("/v1/generations/" + id).status()).isEqualTo(404);
      assertThat(a.post("/v1/generations/" + id + "/cancel", "", (String) null).status())
          .isEqualTo(409);
    }
  }
}
