package dev.durablediffusion.workflows.generation;

public enum GenerationState {
  QUEUED,
  VALIDATING,
  PREPARING,
  DENOISING,
  UPSCALING,
  STORING,
  SUCCEEDED,
  FAILED,
  CANCELED;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELED;
  }
}
