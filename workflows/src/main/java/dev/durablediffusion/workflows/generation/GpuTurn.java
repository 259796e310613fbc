package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.workflows.fairshare.FairShareActivities;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import dev.durablediffusion.workflows.fairshare.TurnRequest;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
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
    while (!granted) {
      fairShare.requestTurn(turn);
      Workflow.await(REQUEST_RENEWAL, () -> granted);
    }
    return null;
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
