package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface StoreActivities {

  /**
   * Copies the images to the outputs area beside their provenance; idempotent. The workflow then
   * closes the generation out with the final status it built.
   */
  StoredImages storeImages(StoreInput input);

  /**
   * What generations that reached the store step before {@code
   * getVersion("final-status-from-workflow")} call: {@link #storeImages}, then the close-out as
   * {@code succeeded}, completing the final status of {@code succeeded} with the outputs, the
   * store's own time, the total and the end; idempotent, also when a retry finds the work area
   * already deleted. Kept until no such generation can still be running.
   */
  StoreResult store(StoreInput input, GenerationOutcome succeeded);

  /**
   * Deletes what the generation left in the work area and records how it ended in the tenant's
   * generation index; idempotent. Returns how many work objects were deleted.
   */
  int closeOut(GenerationOutcome outcome);
}
