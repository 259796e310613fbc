package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ValidateActivities {

  /**
   * Checks limits, the model and the webhook target, resolves defaults and fixes the seed.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable, of type {@link
   *     ErrorTypes#INVALID_REQUEST}, whose details are the {@link GenerationError}
   */
  GenerationPlan validate(GenerationRequest request);
}
