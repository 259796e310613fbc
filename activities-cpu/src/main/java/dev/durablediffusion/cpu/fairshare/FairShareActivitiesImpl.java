package dev.durablediffusion.cpu.fairshare;

import dev.durablediffusion.telemetry.CurrentTrace;
import dev.durablediffusion.workflows.fairshare.FairShareActivities;
import dev.durablediffusion.workflows.fairshare.FairShareState;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import dev.durablediffusion.workflows.fairshare.TurnRequest;
import dev.durablediffusion.workflows.generation.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;

/**
 * The dispatcher's side effects: signal-with-start, so the first request of a queue starts its
 * dispatcher and no request is lost while one runs (outside the requester's trace and tenant, which
 * the dispatcher would otherwise keep); and telling which turn holders have ended.
 */
public class FairShareActivitiesImpl implements FairShareActivities {

  private final WorkflowClient client;

  public FairShareActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void requestTurn(TurnRequest request) {
    WorkflowStub dispatcher =
        client.newUntypedWorkflowStub(
            "FairShareWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(FairShareWorkflow.workflowId(request.gpuQueue()))
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
    CurrentTrace.detached(
        () ->
            dispatcher.signalWithStart(
                "request", new Object[] {request}, new Object[] {FairShareState.empty()}));
  }

  @Override
  public List<String> ended(List<String> generationIds) {
    return generationIds.stream().filter(this::hasEnded).toList();
  }

  private boolean hasEnded(String generationId) {
    try {
      return client.newUntypedWorkflowStub(generationId).describe().getStatus()
          != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return true;
    }
  }
}
