package dev.durablediffusion.cpu.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

  private static final String URL = "https://hooks.example/dd";

  @Test
  void carriesTheTypeTheEventTimeAndTheGenerationAsAClientSeesItInSnakeCase() throws IOException {
    JsonNode payload = new ObjectMapper().readTree(WebhookPayload.of(WebhookEvents.completed(URL)));

    assertThat(payload.get("type").asText()).isEqualTo("generation.completed");
    assertThat(payload.get("timestamp").asText()).isEqualTo("2025-06-01T11:59:00Z");
    JsonNode data = payload.get("data");
    assertThat(data.get("id").asText()).isEqualTo("gen-1");
    assertThat(data.get("status").asText()).isEqualTo("succeeded");
    assertThat(data.get("timings_ms").get("denoise").asLong()).isEqualTo(7_000);
    assertThat(data.get("outputs").get(0).get("url").asText())
        .isEqualTo("/v1/generations/gen-1/images/0");
    assertThat(data.has("plan")).isFalse();
    assertThat(data.get("metadata").get("order").asText()).isEqualTo("A-17");
    assertThat(payload.toString())
        .doesNotContain("gpu-host", "gpu-interactive", "outputs/tenant-a");
  }

  @Test
  void sortsEveryKeySoTheBytesDependOnlyOnTheContent() throws IOException {
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("total", 9_000L);
    timings.put("activities", 8_500L);
    timings.put("denoise", 7_000L);

    byte[] body = WebhookPayload.of(WebhookEvents.completed(URL, timings));

    JsonNode payload = new ObjectMapper().readTree(body);
    assertThat(keys(payload)).containsExactly("data", "timestamp", "type");
    assertThat(keys(payload.get("data"))).isSorted();
    assertThat(keys(payload.get("data").get("outputs").get(0))).isSorted();
    assertThat(keys(payload.get("data").get("timings_ms")))
        .containsExactly("activities", "denoise", "total");
    assertThat(body).isEqualTo(WebhookPayload.of(WebhookEvents.completed(URL)));
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
