package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a GPU worker mid-denoise: it finishes the running denoise before it exits. */
class GpuWorkerDrainTest {

  @TempDir Path data;

  @Test
  void aGracefulShutdownLetsTheRunningDenoiseFinishOnTheSameWorker() throws Exception {
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform =
            new InProcessPlatform(
                temporal, data, Map.of("dd.api.keys", "a:key-a", "dd.gpu.enabled", false));
        ChildJvm worker =
            GpuWorkerJvm.start(
                "gpu-host-draining", temporal, data, "--dd.gpu.shutdown-grace=2m")) {
      worker.awaitLog(l -> l.contains("Started GpuWorkerApplication"), Duration.ofMinutes(2));
      ApiClient api = new ApiClient(platform.port(), "key-a");
      String id =
          api.submit(
              """
              {"prompt": "a white triangle on a red background", "steps": 40, "num_images": 2}""");
      api.awaitStep(id, 3, Duration.ofMinutes(2));

      worker.close();

      // No other GPU worker exists: the generation can only end if this one finished the denoise.
      JsonNode end;
      try {
        end = api.awaitEnd(id, Duration.ofMinutes(1));
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\nThe drained worker's log ends:\n" + worker.tail(), e);
      }
      assertThat(end.get("status").asText()).isEqualTo("succeeded");
      GenerationStatus status =
          temporal.client().newWorkflowStub(GenerationWorkflow.class, id).status();
      assertThat(status.gpuHost()).isEqualTo("gpu-host-draining");
    }
  }
}
