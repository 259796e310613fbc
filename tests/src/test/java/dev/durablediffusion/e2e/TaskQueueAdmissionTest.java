package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admission on the backlog the Temporal server reports for the interactive GPU queue, renamed by
 * {@code dd.cpu.interactive-gpu-queue}: the API asks the queue the workflows schedule denoising on.
 * No GPU worker runs, so the denoise tasks wait in that queue.
 */
class TaskQueueAdmissionTest {

  private static final String INTERACTIVE =
      """
      {"prompt": "a red circle on a blue background", "steps": 2}""";

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.with(
          Map.of(
              "dd.api.keys", "x:key-x",
              "dd.gpu.enabled", "false",
              "dd.cpu.interactive-gpu-queue", "gpu-interactive-renamed",
              "dd.api.admission.backlog-source", "task-queue",
              "dd.api.admission.max-interactive-backlog", "2",
              "dd.api.admission.refresh", "0s",
              "dd.api.admission.retry-after", "7s"));

  @Test
  void interactiveWorkIsRefusedOnceTheRenamedQueuesServerBacklogIsFull() throws Exception {
    ApiClient x = new ApiClient(platform.port(), "key-x");
    x.submit(INTERACTIVE);
    x.submit(INTERACTIVE);

    ApiClient.Response answer = x.post("/v1/generations", INTERACTIVE, (String) null);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (answer.status() == 202 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      answer = x.post("/v1/generations", INTERACTIVE, (String) null);
    }

    assertThat(answer.status()).isEqualTo(429);
    assertThat(answer.json().get("type").asText()).isEqualTo("/problems/gpu-busy");
    assertThat(answer.headers().firstValue("Retry-After")).contains("7");
  }
}
