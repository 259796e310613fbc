package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.durablediffusion.cpu.webhook.WebhookHeaders;
import dev.durablediffusion.cpu.webhook.WebhookSigner;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver that fails its first attempts still gets the event, signed and under one id. */
class WebhookDeliveryTest {

  @TempDir Path data;

  record Received(Instant at, WebhookHeaders headers, byte[] body) {}

  @Test
  void aFailingReceiverGetsTheSameSignedEventLaterWhileTheGenerationHasAlreadySucceeded()
      throws Exception {
    String secret = WebhookSigner.newSecret();
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          received.add(
              new Received(
                  Instant.now(),
                  new WebhookHeaders(
                      exchange.getRequestHeaders().getFirst(WebhookHeaders.ID),
                      exchange.getRequestHeaders().getFirst(WebhookHeaders.TIMESTAMP),
                      exchange.getRequestHeaders().getFirst(WebhookHeaders.SIGNATURE)),
                  exchange.getRequestBody().readAllBytes()));
          boolean fail = received.size() <= 2;
          if (fail) {
            exchange.getResponseHeaders().add("Retry-After", "1");
          }
          exchange.sendResponseHeaders(fail ? 503 : 204, -1);
          exchange.close();
        });
    receiver.start();
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform =
            new InProcessPlatform(
                temporal,
                data,
                Map.of(
                    "dd.api.keys", "a:key-a",
                    "dd.webhooks.signing-secrets.a", secret,
                    "dd.webhooks.allowed-targets", "127.0.0.1/32",
                    "dd.cpu.webhook-retry-schedule", "0s,1s,1s,1s,1s"))) {
      ApiClient api = new ApiClient(platform.port(), "key-a");
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

      String id =
          api.submit(
              """
              {"prompt": "an orange triangle on a blue background", "steps": 4,
               "webhook": {"url": "%s", "events": ["completed"]}}"""
                  .formatted(url));
      JsonNode done = api.awaitEnd(id, Duration.ofMinutes(2));
      for (int i = 0; i < 100 && received.size() < 3; i++) {
        Thread.sleep(100);
      }

      assertThat(done.get("status").asText()).isEqualTo("succeeded");
      assertThat(received).hasSize(3);
      assertThat(received)
          .extracting(r -> r.headers().id())
          .containsOnly(id + "/webhook/completed");
      assertThat(received)
          .extracting(r -> new String(r.body()))
          .containsOnly(new String(received.get(0).body()));
      assertThat(received)
          .allSatisfy(
              r ->
                  assertThat(
                          new WebhookSigner(secret)
                              .verify(r.headers(), r.body(), r.at(), Duration.ofMinutes(5)))
                      .isTrue());
      Instant finished = Instant.parse(done.get("finished_at").asText());
      assertThat(received.get(0).at()).isAfterOrEqualTo(finished.minusMillis(5));
      assertThat(new String(received.get(2).body()))
          .contains("\"type\":\"generation.completed\"", id);
      JsonNode attempts = awaitAttempts(api, id, 3).get("webhook_attempts").get("completed");
      assertThat(attempts.findValuesAsText("status_code")).containsExactly("503", "503", "204");
    } finally {
      receiver.stop(0);
    }
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
