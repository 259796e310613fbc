package dev.durablediffusion.api.generation;

import dev.durablediffusion.api.files.ImageLinks;
import dev.durablediffusion.api.limits.AdmissionControl;
import dev.durablediffusion.api.limits.SubmissionRateLimiter;
import dev.durablediffusion.api.limits.TooManyRequestsException;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.storage.index.IndexEntry;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationSearchAttributes;
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
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Starts, reads, lists and cancels generation workflows on behalf of one tenant at a time. */
public class GenerationService {

  /** Largest page of a listing. */
  public static final int MAX_PAGE = 100;

  private final WorkflowClient client;
  private final TemporalWorkflowLiveness workflows;
  private final ModelCatalog catalog;
  private final ObjectStore store;
  private final InitImageResolver initImages;
  private final GenerationIndex index;
  private final ImageLinks imageLinks;
  private final Function<String, List<FieldError>> webhookCheck;
  private final SubmissionRateLimiter rateLimiter;
  private final AdmissionControl admission;
  private final int maxInFlight;
  private final SubmissionLog submissions;
  private final boolean searchAttributes;
  private final TemporalReachability temporal;
  private final Clock clock;

  public GenerationService(
      WorkflowClient client,
      ModelCatalog catalog,
      ObjectStore store,
      GenerationIndex index,
      ImageLinks imageLinks,
      Function<String, List<FieldError>> webhookCheck,
      SubmissionRateLimiter rateLimiter,
      AdmissionControl admission,
      int maxInFlight,
      SubmissionLog submissions,
      boolean searchAttributes,
      TemporalReachability temporal,
      Clock clock) {
    this.client = client;
    this.workflows = new TemporalWorkflowLiveness(client);
    this.catalog = catalog;
    this.store = store;
    this.initImages = new InitImageResolver(store);
    this.index = index;
    this.imageLinks = imageLinks;
    this.webhookCheck = webhookCheck;
    this.rateLimiter = rateLimiter;
    this.admission = admission;
    this.maxInFlight = maxInFlight;
    this.submissions = submissions;
    this.searchAttributes = searchAttributes;
    this.temporal = temporal;
    this.clock = clock;
  }

  /**
   * Starts the generation, or finds the one this idempotency key already started: its workflow, or
   * the outcome storage keeps once the workflow's history is gone (a new Temporal server, or
   * retention), so an ended generation never runs again and its images never change. Nothing
   * starts when the request is invalid or the tenant is over its limits.
   *
   * @throws InvalidRequestException before anything starts, also for a webhook target the SSRF
   *     guard refuses
   * @throws TooManyRequestsException before anything starts
   */
  public String submit(String tenant, CreateGenerationBody body, String idempotencyKey) {
    String id = generationId(tenant, idempotencyKey);
    InitImageResolver.Resolved init = initImages.resolve(tenant, id, body.initImage());
    GenerationRequest request = toRequest(id, tenant, body, clock.millis(), init.ref());
    List<FieldError> errors = RequestValidation.check(request, catalog);
    if (errors.isEmpty() && request.webhook() != null) {
      errors = webhookCheck.apply(request.webhook().url());
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    temporal.require();
    if (idempotencyKey != null && (workflows.exists(id) || index.finalStatus(tenant, id).isPresent())) {
      return id;
    }
    admission.admit(RequestValidation.priority(request));
    admit(tenant);
    initImages.store(init);
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(TaskQueues.WORKFLOWS)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE);
    if (searchAttributes) {
      options.setTypedSearchAttributes(GenerationSearchAttributes.of(request, catalog));
    }
    GenerationWorkflow workflow = client.newWorkflowStub(GenerationWorkflow.class, options.build());
    try {
      WorkflowClient.start(workflow::generate, request);
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      return id;
    }
    submissions.started(request);
    index.recordStarted(
        tenant,
        new IndexEntry(
            id,
            GenerationState.QUEUED,
            request.submittedAtMillis(),
            RequestValidation.priority(request),
            null,
            request.prompt(),
            request.model(),
            request.metadata(),
            null,
            null));
    return id;
  }

  private void admit(String tenant) {
    OptionalLong wait = rateLimiter.tryAcquire(tenant);
    if (wait.isPresent()) {
      throw new TooManyRequestsException(
          "/problems/rate-limited",
          "too many new generations for this tenant; retry after the given seconds",
          wait.getAsLong());
    }
    if (index.inFlight(tenant) >= maxInFlight) {
      throw new TooManyRequestsException(
          "/problems/too-many-in-flight",
          "this tenant already has " + maxInFlight + " generations running",
          5);
    }
  }

  private static String generationId(String tenant, String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      return "gen_" + UUID.randomUUID().toString().replace("-", "");
    }
    if (idempotencyKey.length() > 255
        || !idempotencyKey.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new InvalidRequestException(
          List.of(
              new FieldError("Idempotency-Key", "must be at most 255 printable ASCII characters")));
    }
    byte[] scoped = (tenant + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
    return "gen_" + Digests.sha256(scoped).substring(0, 32);
  }

  private static GenerationRequest toRequest(
      String id, String tenant, CreateGenerationBody body, long now, String initImageRef) {
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
        body.eta(),
        body.seed(),
        body.numImages(),
        upscale,
        webhook,
        body.priority(),
        body.metadata(),
        now,
        initImageRef,
        body.strength());
  }

  /**
   * The tenant's generation; another tenant's answers exactly like an unknown id. An ended one is
   * read from storage, which is cheaper than a query (the worker replays the history) and still
   * works once the history is deleted.
   */
  public GenerationStatus status(String tenant, String id) {
    Optional<GenerationStatus> ended = index.finalStatus(tenant, id);
    if (ended.isPresent()) {
      return ended.get();
    }
    return queried(tenant, id).orElseThrow(() -> new GenerationNotFoundException(id));
  }

  /**
   * The same, for a reader that saw the generation running a moment ago (an event stream's next
   * poll, a listing whose index entry has no outcome yet): the workflow is asked first, which its
   * worker answers from cache, and storage only once the workflow is gone. A poll that finds it
   * just ended costs one replay instead of a storage read on every poll.
   */
  public GenerationStatus liveStatus(String tenant, String id) {
    return queried(tenant, id)
        .or(() -> index.finalStatus(tenant, id))
        .orElseThrow(() -> new GenerationNotFoundException(id));
  }

  private Optional<GenerationStatus> queried(String tenant, String id) {
    temporal.require();
    try {
      GenerationStatus status = client.newWorkflowStub(GenerationWorkflow.class, id).status();
      if (status == null || !tenant.equals(status.tenantId())) {
        throw new GenerationNotFoundException(id);
      }
      return Optional.of(status);
    } catch (WorkflowNotFoundException e) {
      return Optional.empty();
    } catch (WorkflowServiceException e) {
      if (TemporalWorkflowLiveness.notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public GenerationResource resource(String tenant, String id) {
    return resource(status(tenant, id));
  }

  public GenerationResource resource(GenerationStatus status) {
    return GenerationResource.of(status, webhookAttempts(status), imageLinks);
  }

  /**
   * Waits up to {@code wait} for the generation to end; empty when it is still running then.
   * Long-polls the server for the result instead of querying in a loop.
   */
  public Optional<GenerationResource> awaitEnd(String tenant, String id, Duration wait) {
    temporal.require();
    try {
      client
          .newUntypedWorkflowStub(id)
          .getResult(wait.toMillis(), TimeUnit.MILLISECONDS, GenerationStatus.class);
    } catch (TimeoutException stillRunning) {
      return Optional.empty();
    } catch (WorkflowException endedBadly) {
      // failed or canceled: the status query below describes it
    }
    return Optional.of(resource(tenant, id));
  }

  /**
   * The tenant's generations, newest first. Entries the index still shows running are read live,
   * and settled in the index once they have ended (a close-out that raced the start).
   *
   * @param status only generations in this state (lowercase state name), or null for all
   */
  public GenerationSummary.Page list(String tenant, int limit, String cursor, String status) {
    List<FieldError> errors = new java.util.ArrayList<>();
    if (limit < 1 || limit > MAX_PAGE) {
      errors.add(new FieldError("limit", "must be between 1 and " + MAX_PAGE));
    }
    GenerationState wanted = null;
    if (status != null) {
      wanted =
          Arrays.stream(GenerationState.values())
              .filter(s -> s.name().equalsIgnoreCase(status))
              .findFirst()
              .orElse(null);
      if (wanted == null) {
        errors.add(
            new FieldError(
                "status",
                "must be one of "
                    + Arrays.stream(GenerationState.values())
                        .map(s -> s.name().toLowerCase())
                        .toList()));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    GenerationState filter = wanted;
    GenerationIndex.Page page;
    try {
      page =
          index.page(
              tenant,
              cursor,
              limit,
              entry -> entry.finished() ? entry : live(tenant, entry),
              entry -> filter == null || entry.state() == filter);
    } catch (IllegalArgumentException badCursor) {
      throw new InvalidRequestException(List.of(new FieldError("cursor", badCursor.getMessage())));
    }
    return new GenerationSummary.Page(
        page.entries().stream().map(e -> GenerationSummary.of(tenant, e, imageLinks)).toList(),
        page.nextCursor());
  }

  /** The index says running, so the workflow is asked first (see {@link #liveStatus}). */
  private IndexEntry live(String tenant, IndexEntry entry) {
    GenerationStatus s;
    try {
      s = liveStatus(tenant, entry.id());
    } catch (RuntimeException unavailable) {
      // Gone, or its workflow cannot answer now (no worker, a replay failing): the index's view.
      return entry;
    }
    IndexEntry current =
        new IndexEntry(
            entry.id(),
            s.state(),
            entry.submittedAtMillis(),
            entry.priority(),
            s.finishedAtMillis(),
            entry.prompt(),
            s.plan() == null ? entry.model() : s.plan().model(),
            entry.metadata(),
            s.outputs(),
            s.error());
    if (current.finished()) {
      index.write(tenant, current);
    }
    return current;
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
      } catch (WorkflowNotFoundException | WorkflowServiceException notStarted) {
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
    return GenerationResource.of(status(tenant, id), Map.of(), imageLinks);
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
