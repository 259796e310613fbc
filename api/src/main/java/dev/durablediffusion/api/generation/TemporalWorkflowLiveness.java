package dev.durablediffusion.api.generation;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;

/**
 * Asks the Temporal server whether a generation's workflow runs. An unreachable server throws, so
 * nothing is judged ended while it cannot be asked.
 */
public class TemporalWorkflowLiveness implements InFlightReconciler.WorkflowLiveness {

  private final WorkflowClient client;

  public TemporalWorkflowLiveness(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public boolean running(String generationId) {
    try {
      return client.newUntypedWorkflowStub(generationId).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    } catch (WorkflowServiceException e) {
      if (e.getCause() instanceof StatusRuntimeException grpc
          && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
