package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A GPU worker lost late in a denoise, by {@code kill -9}, by SIGTERM or by a spot eviction notice
 * on a stand-in of Azure's Scheduled Events endpoint: the other worker continues from the
 * checkpoint instead of from step 0, and the images are byte for byte those of an uninterrupted run
 * with the same seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenoiseResumeTest {

  private static final int STEPS = 150;
  private static final int LATE = STEPS * 6 / 10;
  private static final int CHECKPOINT_INTERVAL = 5;
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  private static final String NO_EVENTS = "{\"DocumentIncarnation\": 1, \"Events\": []}";

  private final AtomicReference<String> scheduledEvents = new AtomicReference<>(NO_EVENTS);
  private HttpServer metadata;
  private Path data;
  private TemporalServerProcess temporal;
  private TwoGpuWorkers platform;
  private ApiClient api;

  @BeforeAll
  void start() throws Exception {
    data = Files.createTempDirectory("dd-resume");
    metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metadata.createContext(
        "/metadata/scheduledevents",
        exchange -> {
          byte[] body = scheduledEvents.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    metadata.start();
    temporal = new TemporalServerProcess();
    platform =
        new TwoGpuWorkers(
            temporal,
            data,
            "--dd.gpu.checkpoint-interval=" + CHECKPOINT_INTERVAL,
            "--dd.gpu.scheduled-events.url=http://127.0.0.1:"
                + metadata.getAddress().getPort()
                + "/metadata/scheduledevents?api-version=2020-07-01",
            "--dd.gpu.scheduled-events.instance-name=${dd.gpu.host-task-queue}",
            "--dd.gpu.scheduled-events.poll-interval=200ms");
    api = new ApiClient(platform.port(), "key-a");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      platform.close();
    } finally {
      temporal.close();
      metadata.stop(0);
    }
  }

  @Test
  void aKilledWorkersDenoiseContinuesElsewhereFromItsCheckpointForEverySampler()
      throws Exception {
    for (String sampler : List.of("ddim", "euler_a", "dpmpp_2m_karras")) {
      String body = body(sampler, 31);
      LateLoss loss = loseTheHostLate(body, Loss.KILL);

      assertThat(loss.end().get("resumed_from_step").asInt())
          .as("%s resumed at the last checkpoint before step %d", sampler, loss.reached())
          .isGreaterThanOrEqualTo(loss.reached() - 2 * CHECKPOINT_INTERVAL)
          .isLessThan(STEPS);
      assertThat(hosts(loss.end())).containsExactly(loss.victim(), survivorOf(loss.victim()));
      assertThat(digests(loss.end()))
          .as("%s: the images of an uninterrupted run", sampler)
          .isEqualTo(digests(api.awaitEnd(api.submit(body), TIMEOUT)));
      platform.restart(loss.victim());
    }
  }

  @Test
  void aStoppedWorkerHandsItsDenoiseOverAtTheStepItReachedWithinSeconds() throws Exception {
    assertHandedOverAtTheStepReached(body("euler_a", 47), Loss.STOP);
  }

  @Test
  void aSpotEvictionNoticeHandsTheDenoiseOverAsAStopDoes() throws Exception {
    assertHandedOverAtTheStepReached(body("dpmpp_2m_karras", 59), Loss.PREEMPT);
  }

  @Test
  void aCancelReachesAResumedDenoiseAndDeletesItsCheckpoint() throws Exception {
    for (int attempt = 1; ; attempt++) {
      String id = api.submit(body("euler_a", 70 + attempt));
      api.awaitStep(id, LATE, TIMEOUT);
      String victim = platform.stopTheHostOf(id);
      awaitProgressFromTheSecondHost(id);

      api.post("/v1/generations/" + id + "/cancel", "", null);

      JsonNode end = api.awaitEnd(id, TIMEOUT);
      platform.restart(victim);
      if (end.get("status").asText().equals("canceled") || attempt == 3) {
        assertThat(end.get("status").asText()).isEqualTo("canceled");
        assertThat(data.resolve("work/" + id)).as("the checkpoint is gone").doesNotExist();
        return;
      }
    }
  }

  private void assertHandedOverAtTheStepReached(String body, Loss how) throws Exception {
    LateLoss loss = loseTheHostLate(body, how);

    assertThat(loss.end().get("resumed_from_step").asInt())
        .as("no step done before the stop is done again")
        .isGreaterThanOrEqualTo(loss.reached());
    assertThat(loss.handedOverWithin()).isLessThan(Duration.ofSeconds(5));
    assertThat(hosts(loss.end())).containsExactly(loss.victim(), survivorOf(loss.victim()));
    assertThat(digests(loss.end())).isEqualTo(digests(api.awaitEnd(api.submit(body), TIMEOUT)));
    platform.restart(loss.victim());
  }

  private enum Loss {
    KILL,
    STOP,
    PREEMPT
  }

  /**
   * @param reached the progress the API showed just before the host was lost
   * @param handedOverWithin from the stop to another host being prepared for the denoise
   */
  private record LateLoss(String victim, int reached, Duration handedOverWithin, JsonNode end) {}

  /**
   * Submits, loses the denoising host once the API shows {@link #LATE} steps done, and waits for
   * the end. A denoise fast enough to finish between that reading and the loss is tried again
   * with a fresh generation, so what is asserted is always a loss in the middle of a denoise.
   */
  private LateLoss loseTheHostLate(String body, Loss how) throws Exception {
    for (int attempt = 1; ; attempt++) {
      String id = api.submit(body);
      int reached = api.awaitStep(id, LATE, TIMEOUT).get("progress").get("step").asInt();
      long lostAt = System.nanoTime();
      String victim =
          switch (how) {
            case KILL -> platform.killTheHostOf(id);
            case STOP -> platform.stopTheHostOf(id);
            case PREEMPT -> announcePreempt(platform.hostOf(id));
          };
      Duration handedOver = how == Loss.KILL ? Duration.ZERO : awaitSecondHost(id, lostAt);
      scheduledEvents.set(NO_EVENTS);
      JsonNode end = api.awaitEnd(id, TIMEOUT);
      assertThat(end.get("status").asText()).isEqualTo("succeeded");
      if (end.has("resumed_from_step") || attempt == 3) {
        return new LateLoss(victim, reached, handedOver, end);
      }
      platform.restart(victim);
    }
  }

  private String announcePreempt(String host) {
    scheduledEvents.set(
        """
        {"DocumentIncarnation": 2, "Events": [{"EventId": "a7d4b0c6-7f4e-4a5e-9d1e-3c2b1a0f9e8d",
         "EventType": "Preempt", "ResourceType": "VirtualMachine", "Resources": ["%s"],
         "EventStatus": "Scheduled", "NotBefore": "Fri, 04 Dec 2026 18:30:00 GMT",
         "Description": "", "EventSource": "Platform", "DurationInSeconds": -1}]}"""
            .formatted(host));
    return host;
  }

  private Duration awaitSecondHost(String id, long since) throws InterruptedException {
    return awaitStatus(id, since, status -> status.gpuHosts().size() > 1);
  }

  /** Waits until the host that took the denoise over has reported a step of its own. */
  private void awaitProgressFromTheSecondHost(String id) throws InterruptedException {
    awaitStatus(
        id, System.nanoTime(), s -> s.gpuHosts().size() > 1 && s.progress() != null);
  }

  /** Polls the workflow's status until it ends or {@code reached}; returns the time since. */
  private Duration awaitStatus(String id, long since, Predicate<GenerationStatus> reached)
      throws InterruptedException {
    GenerationWorkflow generation = temporal.client().newWorkflowStub(GenerationWorkflow.class, id);
    while (System.nanoTime() - since < TIMEOUT.toNanos()) {
      GenerationStatus status = generation.status();
      if (status.state().terminal() || reached.test(status)) {
        return Duration.ofNanos(System.nanoTime() - since);
      }
      Thread.sleep(20);
    }
    throw new AssertionError(id + " did not reach the awaited status in " + TIMEOUT);
  }


  private static String body(String sampler, long seed) {
    return """
        {"prompt": "a white circle on a purple background", "steps": %d, "num_images": 4,
         "seed": %d, "sampler": "%s"%s}"""
        .formatted(STEPS, seed, sampler, sampler.equals("ddim") ? ", \"eta\": 0.6" : "");
  }

  private static String survivorOf(String victim) {
    return victim.equals("gpu-host-first") ? "gpu-host-second" : "gpu-host-first";
  }

  private static List<String> hosts(JsonNode generation) {
    List<String> hosts = new ArrayList<>();
    generation.get("gpu_hosts").forEach(h -> hosts.add(h.asText()));
    return hosts;
  }

  private static List<String> digests(JsonNode generation) {
    List<String> digests = new ArrayList<>();
    generation.get("outputs").forEach(o -> digests.add(o.get("sha256").asText()));
    assertThat(digests).hasSize(4);
    return digests;
  }
}
