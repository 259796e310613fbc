package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GPU worker killed mid-denoise: the generation finishes on another one, images exactly once. */
class GpuWorkerCrashTest {

  @TempDir Path data;

  @Test
  void aKilledGpuWorkersDenoiseCompletesOnAnotherWorkerWithoutDuplicates() throws Exception {
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform =
            new InProcessPlatform(
                temporal,
                data,
                Map.of(
                    "dd.api.keys", "a:key-a",
                    "dd.gpu.enabled", false,
                    "dd.cpu.host-schedule-to-start", "10s",
                    "dd.cpu.denoise-heartbeat", "10s"));
        ChildJvm first = gpuWorker("gpu-host-first", temporal);
        ChildJvm second = gpuWorker("gpu-host-second", temporal)) {
      first.awaitLog(l -> l.contains("Started GpuWorkerApplication"), Duration.ofMinutes(2));
      second.awaitLog(l -> l.contains("Started GpuWorkerApplication"), Duration.ofMinutes(2));
      ApiClient api = new ApiClient(platform.port(), "key-a");

      String id =
          api.submit(
              """
{"prompt": "a yellow circle on a green background", "steps": 60, "num_images": 2, "seed": 5}""");
      api.awaitStep(id, 5, Duration.ofMinutes(2));
      GenerationWorkflow workflow = temporal.client().newWorkflowStub(GenerationWorkflow.class, id);
      String victim = workflow.status().gpuHost();
      (victim.equals("gpu-host-first") ? first : second).kill();

      JsonNode done = api.awaitEnd(id, Duration.ofMinutes(6));

      assertThat(done.get("status").asText()).isEqualTo("succeeded");
      GenerationStatus status = workflow.status();
      assertThat(status.gpuHost()).isNotEqualTo(victim);
      assertThat(status.outputs()).hasSize(2);
      try (Stream<Path> files = Files.list(data.resolve("outputs/a/" + id))) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .containsExactlyInAnyOrder(
                "image-0.png", "image-1.png", "provenance.json", "generation.json");
      }
      assertThat(data.resolve("work/" + id)).doesNotExist();
    }
  }

  private ChildJvm gpuWorker(String hostQueue, TemporalServerProcess temporal) {
    return GpuWorkerJvm.start(hostQueue, temporal, data, "--dd.gpu.progress-interval=100ms");
  }
}
