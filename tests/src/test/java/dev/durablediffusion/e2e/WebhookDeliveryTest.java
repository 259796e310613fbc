package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.cpu.webhook.WebhookHeaders;
import dev.durablediffusion.cpu.webhook.WebhookSigner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver that fails its first attempts still gets the event, signed and under one id. */
class WebhookDeliveryTest {

  @TempDir Path data;

  @Test
  void aFailingReceiverGetsTheSameSignedEventLaterWhileTheGenerationHasAlreadySucceeded()
      throws Exception {
    String secret = WebhookSigner.newSecret();
    try (HookReceiver receiver = HookReceiver.failingFirst(2, 503, "1");
        TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform =
            new InProcessPlatform(
                temporal,
                data,
                LoopbackWebhooks.tenantA(
                    secret, Map.of("dd.cpu.webhook-retry-schedule", "0s,1s,1s,1s,1s")))) {
      ApiClient api = new ApiClient(platform.port(), "key-a");

      String id =
          api.submit(
              """
              {"prompt": "an orange triangle on a blue background", "steps": 4,
               "webhook": {"url": "%s", "events": ["completed"]}}"""
                  .formatted(receiver.url()));
      JsonNode done = api.awaitEnd(id, Duration.ofMinutes(2));
      List<HookReceiver.Request> received = receiver.await(3, Duration.ofSeconds(10));

      assertThat(done.get("status").asText()).isEqualTo("succeeded");
      assertThat(received).hasSize(3);
      assertThat(received)
          .extracting(r -> r.headers().getFirst(WebhookHeaders.ID))
          .containsOnly(id + "/webhook/completed");
      assertThat(received)
          .extracting(r -> new String(r.body()))
          .containsOnly(new String(received.get(0).body()));
      assertThat(received)
          .allSatisfy(
              r ->
                  assertThat(
                          new WebhookSigner(secret)
                              .verify(signed(r), r.body(), r.at(), Duration.ofMinutes(5)))
                      .isTrue());
      Instant finished = Instant.parse(done.get("finished_at").asText());
      assertThat(received.get(0).at()).isAfterOrEqualTo(finished.minusMillis(5));
      assertThat(new String(received.get(2).body()))
          .contains("\"type\":\"generation.completed\"", id);
      JsonNode attempts = awaitAttempts(api, id, 3).get("webhook_attempts").get("completed");
      assertThat(attempts.findValuesAsText("status_code")).containsExactly("503", "503", "204");
    }
  }

  private static WebhookHeaders signed(HookReceiver.Request request) {
    return new WebhookHeaders(
        request.headers().getFirst(WebhookHeaders.ID),
        request.headers().getFirst(WebhookHeaders.TIMESTAMP),
        request.headers().getFirst(WebhookHeaders.SIGNATURE));
  }

  private static JsonNode awaitAttempts(ApiClient api, String id, int count)
      throws InterruptedException {
    JsonNode status = null;
    for (int i = 0; i < 100; i++) {
      status = api.get("/v1/generations/" + id).json();
      JsonNode attempts = status.path("webhook_attempts").path("completed");
      if (attempts.size() >= count) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("webhook attempts not visible: " + status);
  }
}
