package dev.durablediffusion.engine;

/**
 * Called after every denoise step. Throwing (for example {@link GenerationCanceledException}, or
 * Temporal's heartbeat exceptions) stops the generation; the engine frees its native memory.
 */
@FunctionalInterface
public interface StepListener {

  StepListener NONE = progress -> {};

  void onStep(StepProgress progress);
}
