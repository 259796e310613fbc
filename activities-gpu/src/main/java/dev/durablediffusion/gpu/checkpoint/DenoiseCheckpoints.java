package dev.durablediffusion.gpu.checkpoint;

import dev.durablediffusion.engine.checkpoint.CheckpointFormat;
import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.engine.checkpoint.UnreadableCheckpointException;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of running denoises, in each generation's work area (deleted with it when the
 * generation ends), at one fixed key per generation: whichever host runs the next attempt finds
 * the latest one without being told where it is.
 */
public class DenoiseCheckpoints {

  private static final Logger log = LoggerFactory.getLogger(DenoiseCheckpoints.class);
  private static final String CONTENT_TYPE = "application/octet-stream";

  private final ObjectStore store;

  public DenoiseCheckpoints(ObjectStore store) {
    this.store = store;
  }

  /** The generation's checkpoint; empty, with the reason logged, when it cannot be read. */
  public Optional<DenoiseCheckpoint> latest(String generationId) {
    Optional<byte[]> bytes = store.get(ref(generationId));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(CheckpointFormat.read(bytes.get()));
    } catch (UnreadableCheckpointException e) {
      log.warn(
          "checkpoint of {} ignored, the denoise starts from step 0: {}",
          generationId,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Writes the generation's checkpoint, replacing the previous one; returns its size. */
  public int save(String generationId, DenoiseCheckpoint checkpoint) {
    byte[] bytes = CheckpointFormat.write(checkpoint);
    store.put(ref(generationId), bytes, CONTENT_TYPE);
    return bytes.length;
  }

  private static ObjectRef ref(String generationId) {
    return ObjectRef.parse(StorageLayout.checkpoint(generationId));
  }
}
