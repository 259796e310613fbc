package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface StoreActivities {

  /**
   * Copies the images to the outputs area with their provenance, then closes the generation out as
   * {@code succeeded} (as {@link #closeOut} does), completing the final status of {@code succeeded}
   * with the outputs, the store's own time, the total and the end; idempotent, also when a retry
   * finds the work area already deleted.
   */
  StoreResult store(StoreInput input, GenerationOutcome succeeded);

  /**
   * Deletes what the generation left in the work area and records how it ended in the tenant's
   * generation index; idempotent. Returns how many work objects were deleted.
   */
  int closeOut(GenerationOutcome outcome);
}
