package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.cpu.webhook.WebhookSigner;
import dev.durablediffusion.launcher.DurableDiffusion;
import dev.durablediffusion.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default as a user runs it ({@code java -jar …}, the dev server as its child), killed
 * with SIGKILL mid-denoise and started again on the same data directory.
 */
class EmbeddedRestartTest {

  private static final String BODY =
      """
      {"prompt": "a red circle on a blue background", "seed": %d, "num_images": 4, "steps": 150,
       "webhook": {"url": "%s", "events": ["started", "completed"]}}""";

  private static final String SMALL_BODY =
      """
      {"prompt": "a red circle on a blue background", "seed": %d, "steps": 8,
       "webhook": {"url": "%s", "events": ["completed"]}}""";

  private static final String SECRET = WebhookSigner.newSecret();

  @TempDir Path data;

  private final int apiPort = Ports.free();
  private final int temporalPort = Ports.free();

  @Test
  void aGenerationKilledMidDenoiseFinishesAfterARestartWithItsImagesAndOneDeliveryPerEvent()
      throws Exception {
    try (HookReceiver hooks = new HookReceiver()) {
      String id;
      try (ChildJvm first = platform("platform-1")) {
        ApiClient api = new ApiClient(apiPort, "key-a");
        id = submit(api, BODY.formatted(42, hooks.url()));
        api.awaitStep(id, 5, Duration.ofMinutes(2));
        first.kill();
      }
      try (ChildJvm second = platform("platform-2")) {
        ApiClient api = new ApiClient(apiPort, "key-a");
        JsonNode ended = awaitEndWhileStatusAndListingAgree(api, id);

        assertThat(second.logLines())
            .as("the killed JVM's Temporal server is replaced by a supervised one")
            .anyMatch(l -> l.contains("a previous run left behind"));

        assertThat(ended.get("status").asText()).isEqualTo("succeeded");
        assertThat(ended.get("outputs")).hasSize(4);
        for (int i = 0; i < 4; i++) {
          assertThat(api.get("/v1/generations/" + id + "/images/" + i).status()).isEqualTo(200);
        }
        assertThat(deliveriesById(hooks, 2, Duration.ofMinutes(1)))
            .containsOnly(
                Map.entry(id + "/webhook/started", 1L), Map.entry(id + "/webhook/completed", 1L));
      }
    }
  }

  @Test
  void theSameIdempotencyKeyAfterARestartReturnsTheSameGenerationAndStartsNothing()
      throws Exception {
    try (HookReceiver hooks = new HookReceiver()) {
      String id;
      String firstImage;
      try (ChildJvm first = platform("platform-1")) {
        ApiClient api = new ApiClient(apiPort, "key-a");
        id = submit(api, SMALL_BODY.formatted(7, hooks.url()));
        firstImage =
            api.awaitEnd(id, Duration.ofMinutes(3)).get("outputs").get(0).get("sha256").asText();
        first.kill();
      }
      try (ChildJvm second = platform("platform-2")) {
        ApiClient api = new ApiClient(apiPort, "key-a");
        ApiClient.Response again =
            api.post("/v1/generations", SMALL_BODY.formatted(8, hooks.url()), "restart-key");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("id").asText()).isEqualTo(id);
        JsonNode status = api.get("/v1/generations/" + id).json();
        assertThat(status.get("status").asText()).isEqualTo("succeeded");
        assertThat(status.get("outputs").get(0).get("sha256").asText()).isEqualTo(firstImage);
        assertThat(status.get("input").get("seed").asLong()).isEqualTo(7);
      }
    }
  }

  private static String submit(ApiClient api, String body) {
    ApiClient.Response response = api.post("/v1/generations", body, "restart-key");
    assertThat(response.status()).as(new String(response.body())).isEqualTo(202);
    return response.json().get("id").asText();
  }

  /** Polls until the end; at every poll the generation is found, and listed in the same state. */
  private static JsonNode awaitEndWhileStatusAndListingAgree(ApiClient api, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      ApiClient.Response status = api.get("/v1/generations/" + id);
      assertThat(status.status()).as(new String(status.body())).isEqualTo(200);
      String state = status.json().get("status").asText();
      JsonNode listed = api.get("/v1/generations?limit=10").json().get("data");
      assertThat(listed).anySatisfy(entry -> assertThat(entry.get("id").asText()).isEqualTo(id));
      if (state.equals("succeeded") || state.equals("failed") || state.equals("canceled")) {
        JsonNode entry = listedEntry(api, id);
        assertThat(entry.get("status").asText()).isEqualTo(state);
        return status.json();
      }
      Thread.sleep(300);
    }
    throw new AssertionError("generation " + id + " did not end after the restart");
  }

  private static JsonNode listedEntry(ApiClient api, String id) {
    for (JsonNode entry : api.get("/v1/generations?limit=10").json().get("data")) {
      if (entry.get("id").asText().equals(id)) {
        return entry;
      }
    }
    throw new AssertionError(id + " is not listed");
  }

  /** How many requests came with each {@code webhook-id}, once {@code ids} ids have come. */
  private static Map<String, Long> deliveriesById(HookReceiver hooks, int ids, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> byId = Map.of();
    while (System.nanoTime() < deadline) {
      byId = byWebhookId(hooks);
      if (byId.size() >= ids) {
        Thread.sleep(2000);
        return byWebhookId(hooks);
      }
      Thread.sleep(200);
    }
    return byId;
  }

  private static Map<String, Long> byWebhookId(HookReceiver hooks) {
    return hooks.requests().stream()
        .collect(
            Collectors.groupingBy(
                r -> r.headers().getFirst("webhook-id"), Collectors.counting()));
  }

  private ChildJvm platform(String name) throws InterruptedException {
    return ChildJvm.start(
            name,
            data.resolve("logs"),
            DurableDiffusion.class,
            List.of(
                "--server.port=" + apiPort,
                "--dd.temporal.port=" + temporalPort,
                "--dd.temporal.ui-port=0",
                "--dd.api.keys=a:key-a",
                "--dd.storage.filesystem.root=" + data,
                "--dd.gpu.model-cache-directory=" + data.resolve("model-cache"),
                "--dd.gpu.progress-interval=100ms",
                "--dd.webhooks.allowed-targets=127.0.0.1/32",
                "--dd.webhooks.signing-secrets.a=" + SECRET))
        .awaitLog(l -> l.startsWith("Durable Diffusion is running"), Duration.ofMinutes(2));
  }
}
