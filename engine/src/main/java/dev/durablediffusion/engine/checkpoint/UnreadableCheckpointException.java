package dev.durablediffusion.engine.checkpoint;

/** Bytes that are not a checkpoint this engine wrote. */
public class UnreadableCheckpointException extends RuntimeException {

  public UnreadableCheckpointException(String reason) {
    super(reason);
  }
}
