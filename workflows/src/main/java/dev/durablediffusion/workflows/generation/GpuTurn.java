package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.workflows.fairshare.FairShareActivities;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import dev.durablediffusion.workflows.fairshare.TurnRequest;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A generation's turn on its GPU queue, where the deployment has a fair-share dispatcher: asked
 * for, waited for (status {@code queued}), held through the GPU stages and handed back however they
 * end.
 */
final class GpuTurn {

  /**
   * How long a generation waits for its turn before asking again: a dispatcher that failed or was
   * replaced lost its request, and asking again is harmless to one that did not.
   */
  static final Duration REQUEST_RENEWAL = Duration.ofMinutes(1);

  /**
   * Since {@link #RENEWAL_BACKOFF}, the wait before each renewal doubles from {@link
   * #REQUEST_RENEWAL} up to this, and each wait is drawn between half and one and a half times its
   * value: thousands of generations that were submitted together and wait together then renew a
   * few a second, not all in one minute's same second.
   */
  static final Duration LONGEST_RENEWAL = Duration.ofMinutes(10);

  static final String RENEWAL_BACKOFF = "turn-renewal-backoff";

  private final FairShareActivities fairShare =
      Workflow.newLocalActivityStub(FairShareActivities.class, StageOptions.gpuTurnRequest());
  private boolean granted;

  void granted() {
    granted = true;
  }

  <T> T during(GenerationRecord record, Supplier<T> gpuStages) {
    GenerationPlan plan = record.plan();
    int window = plan.settings().fairShareWindow();
    if (window <= 0) {
      return gpuStages.get();
    }
    String queue = plan.settings().gpuTaskQueue();
    TurnRequest turn =
        new TurnRequest(
            queue,
            record.generationId(),
            record.tenantId(),
            window,
            record.request().submittedAtMillis());
    try {
      record.during(GenerationState.QUEUED, () -> awaitTurn(turn));
      return gpuStages.get();
    } finally {
      Workflow.newDetachedCancellationScope(() -> release(queue, record.generationId())).run();
    }
  }

  private Void awaitTurn(TurnRequest turn) {
    if (Workflow.getVersion(RENEWAL_BACKOFF, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      while (!granted) {
        fairShare.requestTurn(turn);
        Workflow.await(REQUEST_RENEWAL, () -> granted);
      }
      return null;
    }
    // Drawn from the workflow's own random numbers, which the ids of later commands also come from:
    // the histories from before the backoff never drew it.
    Random jitter = Workflow.newRandom();
    Duration renewal = REQUEST_RENEWAL;
    while (!granted) {
      fairShare.requestTurn(turn);
      Workflow.await(jittered(renewal, jitter), () -> granted);
      renewal = longer(renewal);
    }
    return null;
  }

  private static Duration jittered(Duration renewal, Random jitter) {
    return Duration.ofMillis((long) (renewal.toMillis() * (0.5 + jitter.nextDouble())));
  }

  private static Duration longer(Duration renewal) {
    Duration doubled = renewal.multipliedBy(2);
    return doubled.compareTo(LONGEST_RENEWAL) < 0 ? doubled : LONGEST_RENEWAL;
  }

  /**
   * Sent without waiting for delivery, so the next stage is scheduled in the same workflow task. A
   * dispatcher that is gone holds no turn; nothing to hand back then.
   */
  private static void release(String queue, String generationId) {
    FairShareWorkflow dispatcher =
        Workflow.newExternalWorkflowStub(
            FairShareWorkflow.class, FairShareWorkflow.workflowId(queue));
    Async.procedure(dispatcher::release, generationId)
        .exceptionally(
            gone -> {
              Workflow.getLogger(GpuTurn.class)
                  .warn("fair-share dispatcher of {} is gone: {}", queue, gone.getMessage());
              return null;
            });
  }
}
