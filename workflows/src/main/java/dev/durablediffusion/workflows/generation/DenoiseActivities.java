package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface DenoiseActivities {

  /**
   * Runs the sampler on the host where the model is warm, heartbeating every step, and writes the
   * decoded images to the work area.
   */
  DenoiseResult denoise(DenoiseInput input);
}
