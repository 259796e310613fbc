package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A GPU worker lost late in a denoise, by {@code kill -9} or by SIGTERM: the other worker continues
 * from the checkpoint instead of from step 0, and the images are byte for byte those of an
 * uninterrupted run with the same seed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenoiseResumeTest {

  private static final int STEPS = 150;
  private static final int LATE = STEPS * 6 / 10;
  private static final int CHECKPOINT_INTERVAL = 5;
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  private Path data;
  private TemporalServerProcess temporal;
  private TwoGpuWorkers platform;
  private ApiClient api;

  @BeforeAll
  void start() throws Exception {
    data = Files.createTempDirectory("dd-resume");
    temporal = new TemporalServerProcess();
    platform =
        new TwoGpuWorkers(
            temporal, data, "--dd.gpu.checkpoint-interval=" + CHECKPOINT_INTERVAL);
    api = new ApiClient(platform.port(), "key-a");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      platform.close();
    } finally {
      temporal.close();
    }
  }

  @Test
  void aKilledWorkersDenoiseContinuesElsewhereFromItsCheckpointForEverySampler()
      throws Exception {
    for (String sampler : List.of("ddim", "euler_a", "dpmpp_2m_karras")) {
      String body = body(sampler, 31);
      LateLoss loss = loseTheHostLate(body, true);

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
    String body = body("euler_a", 47);
    LateLoss loss = loseTheHostLate(body, false);

    assertThat(loss.end().get("resumed_from_step").asInt())
        .as("no step done before the stop is done again")
        .isGreaterThanOrEqualTo(loss.reached());
    assertThat(loss.handedOverWithin()).isLessThan(Duration.ofSeconds(5));
    assertThat(hosts(loss.end())).containsExactly(loss.victim(), survivorOf(loss.victim()));
    assertThat(digests(loss.end())).isEqualTo(digests(api.awaitEnd(api.submit(body), TIMEOUT)));
    platform.restart(loss.victim());
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
  private LateLoss loseTheHostLate(String body, boolean kill) throws Exception {
    for (int attempt = 1; ; attempt++) {
      String id = api.submit(body);
      int reached = api.awaitStep(id, LATE, TIMEOUT).get("progress").get("step").asInt();
      long lostAt = System.nanoTime();
      String victim = kill ? platform.killTheHostOf(id) : platform.stopTheHostOf(id);
      Duration handedOver = kill ? Duration.ZERO : awaitSecondHost(id, lostAt);
      JsonNode end = api.awaitEnd(id, TIMEOUT);
      assertThat(end.get("status").asText()).isEqualTo("succeeded");
      if (end.has("resumed_from_step") || attempt == 3) {
        return new LateLoss(victim, reached, handedOver, end);
      }
      platform.restart(victim);
    }
  }

  private Duration awaitSecondHost(String id, long since) throws InterruptedException {
    GenerationWorkflow generation = temporal.client().newWorkflowStub(GenerationWorkflow.class, id);
    while (System.nanoTime() - since < TIMEOUT.toNanos()) {
      GenerationStatus status = generation.status();
      if (status.gpuHosts().size() > 1 || status.state().terminal()) {
        return Duration.ofNanos(System.nanoTime() - since);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no other host took over " + id);
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
