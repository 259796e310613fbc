package dev.durablediffusion.api.generation;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.util.Optional;

/**
 * Asks the Temporal server whether a generation's workflow exists and runs. An unreachable server
 * throws, so nothing is judged ended or absent while it cannot be asked.
 */
public class TemporalWorkflowLiveness implements InFlightReconciler.WorkflowLiveness {

  private final WorkflowClient client;

  public TemporalWorkflowLiveness(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public boolean running(String generationId) {
    return status(generationId)
        .filter(s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
        .isPresent();
  }

  /** Whether the server knows the workflow, running or closed (until its retention ends). */
  public boolean exists(String generationId) {
    return status(generationId).isPresent();
  }

  private Optional<WorkflowExecutionStatus> status(String generationId) {
    try {
      return Optional.of(client.newUntypedWorkflowStub(generationId).describe().getStatus());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      if (notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A call about a workflow the server does not know. */
  static boolean notFound(WorkflowServiceException e) {
    return failedWith(e, Status.Code.NOT_FOUND);
  }

  /** A call the channel gave up on when its deadline passed. */
  static boolean deadlineExceeded(WorkflowServiceException e) {
    return failedWith(e, Status.Code.DEADLINE_EXCEEDED);
  }

  private static boolean failedWith(WorkflowServiceException e, Status.Code code) {
    return e.getCause() instanceof StatusRuntimeException grpc
        && grpc.getStatus().getCode() == code;
  }
}
