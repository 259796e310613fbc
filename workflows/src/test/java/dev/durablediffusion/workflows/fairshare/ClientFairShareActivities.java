package dev.durablediffusion.workflows.fairshare;

import dev.durablediffusion.workflows.generation.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.List;

/** What the CPU worker's implementation does, for workflow tests against a test environment. */
public class ClientFairShareActivities implements FairShareActivities {

  private final WorkflowClient client;

  public ClientFairShareActivities(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void requestTurn(TurnRequest request) {
    client
        .newUntypedWorkflowStub(
            "FairShareWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(FairShareWorkflow.workflowId(request.gpuQueue()))
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build())
        .signalWithStart("request", new Object[] {request}, new Object[] {FairShareState.empty()});
  }

  @Override
  public List<String> ended(List<String> generationIds) {
    return generationIds.stream().filter(this::hasEnded).toList();
  }

  private boolean hasEnded(String id) {
    try {
      return client.newUntypedWorkflowStub(id).describe().getStatus()
          != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return true;
    }
  }
}
