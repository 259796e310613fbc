package dev.durablediffusion.gpu.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.engine.sampler.ResumableRandom;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DenoiseCheckpointsTest {

  @TempDir Path root;
  private ObjectStore store;
  private DenoiseCheckpoints checkpoints;

  @BeforeEach
  void setUp() {
    store = new FilesystemObjectStore(root);
    checkpoints = new DenoiseCheckpoints(store);
  }

  @Test
  void eachWriteReplacesTheGenerationsOneCheckpointInItsWorkArea() {
    checkpoints.save("gen_1", checkpoint(4));
    checkpoints.save("gen_1", checkpoint(9));

    assertThat(checkpoints.latest("gen_1")).get().extracting(c -> c.nextStep()).isEqualTo(9);
    assertThat(store.exists(ObjectRef.parse("work/gen_1/denoise.checkpoint"))).isTrue();
    assertThat(checkpoints.latest("gen_2")).isEmpty();
  }

  @Test
  void aDamagedCheckpointIsIgnoredSoTheDenoiseStartsOver() {
    store.put(
        ObjectRef.parse(StorageLayout.checkpoint("gen_1")),
        "not a checkpoint".getBytes(),
        "application/octet-stream");

    assertThat(checkpoints.latest("gen_1")).isEmpty();
  }

  private static DenoiseCheckpoint checkpoint(int nextStep) {
    return new DenoiseCheckpoint(
        "f",
        nextStep,
        new float[] {nextStep},
        SamplerMemory.NONE,
        List.of(new ResumableRandom(1L).state()));
  }
}
