package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface StoreActivities {

  /** Copies the images to the outputs area with their provenance; idempotent. */
  StoreResult store(StoreInput input);

  /** Deletes what the generation left in the work area. */
  int discardWork(String generationId);
}
