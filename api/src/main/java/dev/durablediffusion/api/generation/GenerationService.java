package dev.durablediffusion.api.generation;

import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import dev.durablediffusion.workflows.generation.RequestValidation;
import dev.durablediffusion.workflows.generation.StorageLayout;
import dev.durablediffusion.workflows.generation.TaskQueues;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import dev.durablediffusion.workflows.generation.WebhookSpec;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Starts, reads and cancels generation workflows on behalf of one tenant at a time. */
public class GenerationService {

  private final WorkflowClient client;
  private final ModelCatalog catalog;
  private final ObjectStore store;

  public GenerationService(WorkflowClient client, ModelCatalog catalog, ObjectStore store) {
    this.client = client;
    this.catalog = catalog;
    this.store = store;
  }

  /**
   * Starts the generation, or finds the one this idempotency key already started.
   *
   * @throws InvalidRequestException before anything starts
   */
  public String submit(String tenant, CreateGenerationBody body, String idempotencyKey) {
    String id = generationId(tenant, idempotencyKey);
    GenerationRequest request = toRequest(id, tenant, body);
    List<FieldError> errors = RequestValidation.check(request, catalog);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    GenerationWorkflow workflow =
        client.newWorkflowStub(
            GenerationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(workflow::generate, request);
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      return id;
    }
    return id;
  }

  private static String generationId(String tenant, String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      return "gen_" + UUID.randomUUID().toString().replace("-", "");
    }
    if (idempotencyKey.length() > 255) {
      throw new InvalidRequestException(
          List.of(new FieldError("Idempotency-Key", "must be at most 255 characters")));
    }
    byte[] scoped = (tenant + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
    return "gen_" + Digests.sha256(scoped).substring(0, 32);
  }

  private static GenerationRequest toRequest(String id, String tenant, CreateGenerationBody body) {
    UpscaleSpec upscale =
        body.upscale() == null
            ? null
            : new UpscaleSpec(
                body.upscale().factor() == null ? 0 : body.upscale().factor(),
                body.upscale().method());
    WebhookSpec webhook =
        body.webhook() == null
            ? null
            : new WebhookSpec(body.webhook().url(), body.webhook().events());
    return new GenerationRequest(
        id,
        tenant,
        body.prompt(),
        body.negativePrompt(),
        body.model(),
        body.width(),
        body.height(),
        body.steps(),
        body.guidanceScale(),
        body.sampler(),
        body.seed(),
        body.numImages(),
        upscale,
        webhook,
        body.priority());
  }

  /** The tenant's generation; another tenant's answers exactly like an unknown id. */
  public GenerationStatus status(String tenant, String id) {
    try {
      GenerationStatus status = client.newWorkflowStub(GenerationWorkflow.class, id).status();
      if (status == null || !tenant.equals(status.tenantId())) {
        throw new GenerationNotFoundException(id);
      }
      return status;
    } catch (WorkflowNotFoundException e) {
      throw new GenerationNotFoundException(id);
    } catch (io.temporal.client.WorkflowServiceException e) {
      if (e.getCause() instanceof io.grpc.StatusRuntimeException grpc
          && grpc.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        throw new GenerationNotFoundException(id);
      }
      throw e;
    }
  }

  public GenerationResource resource(String tenant, String id) {
    GenerationStatus status = status(tenant, id);
    return GenerationResource.of(status, webhookAttempts(status));
  }

  private Map<String, List<DeliveryAttempt>> webhookAttempts(GenerationStatus status) {
    Map<String, List<DeliveryAttempt>> attempts = new LinkedHashMap<>();
    if (status.plan() == null || status.plan().webhook() == null) {
      return attempts;
    }
    List<String> events =
        RequestValidation.EVENTS.stream().filter(status.plan().webhook()::wants).sorted().toList();
    for (String event : events) {
      String workflowId = WebhookDeliveryWorkflow.workflowId(status.generationId(), event);
      try {
        List<DeliveryAttempt> made =
            client.newWorkflowStub(WebhookDeliveryWorkflow.class, workflowId).attempts();
        attempts.put(event, made);
      } catch (WorkflowNotFoundException | io.temporal.client.WorkflowServiceException notStarted) {
        // no delivery of this event (filtered out, or not reached yet)
      }
    }
    return attempts;
  }

  public GenerationResource cancel(String tenant, String id) {
    GenerationStatus status = status(tenant, id);
    if (status.state().terminal()) {
      throw new GenerationFinishedException(id, status.state().name().toLowerCase());
    }
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    stub.cancel();
    return GenerationResource.of(status(tenant, id), Map.of());
  }

  /** The PNG of output {@code index}, once the generation succeeded. */
  public Optional<byte[]> image(String tenant, String id, int index) {
    GenerationStatus status = status(tenant, id);
    if (status.state() != GenerationState.SUCCEEDED
        || index < 0
        || index >= status.outputs().size()) {
      return Optional.empty();
    }
    return store.get(ObjectRef.parse(StorageLayout.output(tenant, id, index)));
  }

  /** The latest denoise preview, while it is denoising. */
  public Optional<byte[]> preview(String tenant, String id) {
    GenerationStatus status = status(tenant, id);
    if (status.progress() == null || status.progress().previewRef() == null) {
      return Optional.empty();
    }
    return store.get(ObjectRef.parse(status.progress().previewRef()));
  }
}
