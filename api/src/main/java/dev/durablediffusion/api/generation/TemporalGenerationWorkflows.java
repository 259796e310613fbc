package dev.durablediffusion.api.generation;

import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationSearchAttributes;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import dev.durablediffusion.workflows.generation.TaskQueues;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Generation workflows on a Temporal server, started on the workflow task queue. */
public class TemporalGenerationWorkflows implements GenerationWorkflows {

  private final WorkflowClient client;
  private final TemporalWorkflowLiveness liveness;
  private final TemporalReachability reachability;
  private final ModelCatalog searchAttributeCatalog;

  /**
   * @param searchAttributeCatalog the catalog a workflow's search attributes are read from, or null
   *     where the server has not registered them
   */
  public TemporalGenerationWorkflows(
      WorkflowClient client, TemporalReachability reachability, ModelCatalog searchAttributeCatalog) {
    this.client = client;
    this.liveness = new TemporalWorkflowLiveness(client);
    this.reachability = reachability;
    this.searchAttributeCatalog = searchAttributeCatalog;
  }

  @Override
  public void requireReachable() {
    reachability.require();
  }

  @Override
  public boolean start(GenerationRequest request) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(request.generationId())
            .setTaskQueue(TaskQueues.WORKFLOWS)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    if (searchAttributeCatalog != null) {
      options.setTypedSearchAttributes(
          GenerationSearchAttributes.of(request, searchAttributeCatalog));
    }
    GenerationWorkflow workflow = client.newWorkflowStub(GenerationWorkflow.class, options.build());
    try {
      WorkflowClient.start(workflow::generate, request);
      return true;
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      return false;
    }
  }

  @Override
  public boolean exists(String generationId) {
    reachability.require();
    return liveness.exists(generationId);
  }

  @Override
  public Optional<GenerationStatus> status(String generationId) {
    reachability.require();
    try {
      return Optional.ofNullable(
          client.newWorkflowStub(GenerationWorkflow.class, generationId).status());
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      if (TemporalWorkflowLiveness.notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * Long-polls the server for the result instead of querying in a loop. Only a result, a failure or
   * a cancellation counts as closed: a long poll the channel cut at its deadline (sdk-java#1177)
   * means the wait ran out, and any other failure of the call is the caller's to see.
   */
  @Override
  public boolean awaitClose(String generationId, Duration wait) {
    reachability.require();
    try {
      client
          .newUntypedWorkflowStub(generationId)
          .getResult(wait.toMillis(), TimeUnit.MILLISECONDS, GenerationStatus.class);
      return true;
    } catch (TimeoutException stillRunning) {
      return false;
    } catch (WorkflowServiceException callFailed) {
      if (TemporalWorkflowLiveness.deadlineExceeded(callFailed)) {
        return false;
      }
      throw callFailed;
    } catch (WorkflowFailedException | CanceledFailure endedBadly) {
      return true;
    }
  }

  @Override
  public void requestCancel(String generationId) {
    client.newUntypedWorkflowStub(generationId).cancel();
  }

  @Override
  public Optional<List<DeliveryAttempt>> deliveryAttempts(String generationId, String event) {
    String workflowId = WebhookDeliveryWorkflow.workflowId(generationId, event);
    try {
      return Optional.of(
          client.newWorkflowStub(WebhookDeliveryWorkflow.class, workflowId).attempts());
    } catch (WorkflowNotFoundException | WorkflowServiceException notStarted) {
      return Optional.empty();
    }
  }
}
