package dev.durablediffusion.workflows.fairshare;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A stand-in generation for tests: asks for a turn, holds it until told to finish, hands it back.
 */
@WorkflowInterface
public interface TurnTaker {

  @WorkflowMethod
  void take(TurnRequest request);

  @SignalMethod(name = FairShareWorkflow.TURN_GRANTED)
  void granted();

  @SignalMethod
  void finish();

  class Impl implements TurnTaker {
    private boolean granted;
    private boolean finished;

    @Override
    public void take(TurnRequest request) {
      Workflow.newLocalActivityStub(
              FairShareActivities.class,
              LocalActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(10))
                  .build())
          .requestTurn(request);
      Workflow.await(() -> granted && finished);
      Workflow.newExternalWorkflowStub(
              FairShareWorkflow.class, FairShareWorkflow.workflowId(request.gpuQueue()))
          .release(request.generationId());
    }

    @Override
    public void granted() {
      granted = true;
    }

    @Override
    public void finish() {
      finished = true;
    }
  }
}
