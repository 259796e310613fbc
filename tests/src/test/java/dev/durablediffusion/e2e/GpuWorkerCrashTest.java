package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GPU worker killed mid-denoise: the generation finishes on another one, images exactly once. */
class GpuWorkerCrashTest {

  @TempDir Path data;

  @Test
  void aKilledGpuWorkersDenoiseCompletesOnAnotherWorkerWithoutDuplicates() throws Exception {
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        TwoGpuWorkers platform = new TwoGpuWorkers(temporal, data)) {
      ApiClient api = new ApiClient(platform.port(), "key-a");

      String id =
          api.submit(
              """
{"prompt": "a yellow circle on a green background", "steps": 60, "num_images": 2, "seed": 5}""");
      api.awaitStep(id, 5, Duration.ofMinutes(2));
      String victim = platform.killTheHostOf(id);

      JsonNode done = api.awaitEnd(id, Duration.ofMinutes(6));

      assertThat(done.get("status").asText()).isEqualTo("succeeded");
      GenerationStatus status =
          temporal.client().newWorkflowStub(GenerationWorkflow.class, id).status();
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
}
