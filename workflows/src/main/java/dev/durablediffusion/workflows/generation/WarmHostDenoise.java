package dev.durablediffusion.workflows.generation;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Prepares the model on any host of the shared GPU queue, then denoises on that host's own queue
 * where the model is warm. This is the denoise's one retry construct: a host that stops
 * heartbeating, never picks the task up, or fails is replaced by preparing again, on whichever host
 * is live.
 */
final class WarmHostDenoise {

  /** Denoise attempts, each on a freshly prepared host, before the generation fails. */
  static final int MAX_HOST_ATTEMPTS = 4;

  private final GenerationRecord record;

  WarmHostDenoise(GenerationRecord record) {
    this.record = record;
  }

  DenoiseResult run() {
    for (int hostAttempt = 1; ; hostAttempt++) {
      PreparedModel prepared = record.during(GenerationState.PREPARING, this::prepareModel);
      record.preparedOn(prepared);
      try {
        return record.during(GenerationState.DENOISING, () -> denoiseOn(prepared.hostTaskQueue()));
      } catch (ActivityFailure failure) {
        if (!retryable(failure) || hostAttempt == MAX_HOST_ATTEMPTS) {
          throw failure;
        }
        record.hostLost();
        Workflow.sleep(Duration.ofSeconds(hostAttempt));
      }
    }
  }

  private PreparedModel prepareModel() {
    GenerationPlan plan = record.plan();
    ModelActivities models =
        Workflow.newActivityStub(
            ModelActivities.class,
            StageOptions.prepareModel(plan.settings().gpuTaskQueue(), record.tenantId()));
    return models.prepareModel(plan.model());
  }

  private DenoiseResult denoiseOn(String hostTaskQueue) {
    GenerationPlan plan = record.plan();
    DenoiseActivities host =
        Workflow.newActivityStub(
            DenoiseActivities.class,
            StageOptions.denoise(hostTaskQueue, record.tenantId(), plan.settings()));
    return host.denoise(new DenoiseInput(plan, record.modelDigest()));
  }

  private static boolean retryable(ActivityFailure failure) {
    return !(failure.getCause() instanceof ApplicationFailure app && app.isNonRetryable())
        && !(failure.getCause() instanceof CanceledFailure);
  }
}
