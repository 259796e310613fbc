package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface StoreActivities {

  /** Copies the images to the outputs area with their provenance; idempotent. */
  StoreResult store(StoreInput input);

  /**
   * Deletes what the generation left in the work area and records how it ended in the tenant's
   * generation index; idempotent. Returns how many work objects were deleted.
   */
  int closeOut(GenerationOutcome outcome);
}
