package dev.durablediffusion.workflows.generation;

import com.uber.m3.tally.Scope;
import dev.durablediffusion.workflows.fairshare.FairShareActivities;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import dev.durablediffusion.workflows.fairshare.TurnRequest;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflow;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.common.Priority;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The generation as a business process. Timeouts and retries per stage are in {@link
 * StageOptions}, with their reasons in docs/workflow.md.
 */
public class GenerationWorkflowImpl implements GenerationWorkflow {

  /**
   * From version 1 a webhook delivery starts outside the generation's cancellation scope, so a
   * cancel no longer cancels deliveries already owed; earlier histories replay without it.
   */
  static final String DELIVERIES_OUTLIVE_CANCEL = "deliveries-outlive-cancel";

  /** Denoise attempts, each on a freshly prepared host, before the generation fails. */
  static final int MAX_HOST_ATTEMPTS = 4;

  /**
   * How long a generation waits for its GPU turn before asking again: a dispatcher that failed or
   * was replaced lost its request, and asking again is harmless to one that did not.
   */
  static final Duration TURN_REQUEST_RENEWAL = Duration.ofMinutes(1);

  private final ValidateActivities validation =
      Workflow.newLocalActivityStub(ValidateActivities.class, StageOptions.validate());
  private final StoreActivities storage =
      Workflow.newActivityStub(StoreActivities.class, StageOptions.storage());
  private final LanczosUpscaleActivities lanczos =
      Workflow.newActivityStub(LanczosUpscaleActivities.class, StageOptions.lanczosUpscale());
  private final FairShareActivities fairShare =
      Workflow.newLocalActivityStub(FairShareActivities.class, StageOptions.gpuTurnRequest());

  private final Map<String, Long> timings = new LinkedHashMap<>();
  private final long createdAt = Workflow.currentTimeMillis();
  private GenerationRequest request;
  private String generationId;
  private String tenantId;
  private long revision;
  private GenerationState state = GenerationState.QUEUED;
  private GenerationPlan plan;
  private Progress progress;
  private List<ImageRef> outputs = List.of();
  private GenerationError error;
  private boolean promptTruncated;
  private boolean negativePromptTruncated;
  private String modelDigest;
  private String gpuHost;
  private Long finishedAt;
  private long activityMillis;
  private boolean gpuTurn;

  @Override
  public GenerationStatus generate(GenerationRequest request) {
    this.request = request;
    generationId = request.generationId();
    tenantId = request.tenantId();
    try {
      plan = timed(GenerationState.VALIDATING, () -> validation.validate(request));
      notify("started");
      DenoiseResult denoised = duringGpuTurn(this::denoiseOnWarmHost);
      promptTruncated = denoised.promptTruncated();
      negativePromptTruncated = denoised.negativePromptTruncated();
      activityMillis += denoised.executionMillis();
      List<ImageRef> images =
          plan.upscale() == null ? denoised.images() : upscaled(denoised.images());
      state = GenerationState.STORING;
      revision++;
      timings.put("activities", activityMillis);
      StoreResult result =
          storage.store(
              new StoreInput(
                  plan, images, modelDigest, promptTruncated, negativePromptTruncated, timings),
              outcome(GenerationState.SUCCEEDED, 0));
      GenerationStatus stored = result.finalStatus();
      activityMillis += result.executionMillis();
      outputs = stored.outputs();
      timings.clear();
      timings.putAll(stored.timingsMillis());
      ended(GenerationState.SUCCEEDED, stored.finishedAtMillis());
      notify("completed");
      return status();
    } catch (TemporalFailure failure) {
      if (canceled(failure)) {
        Workflow.newDetachedCancellationScope(
                () -> {
                  finish(GenerationState.CANCELED);
                  notify("canceled");
                })
            .run();
        throw failure instanceof CanceledFailure c ? c : new CanceledFailure("generation canceled");
      }
      error = describe(failure);
      Workflow.newDetachedCancellationScope(() -> finish(GenerationState.FAILED)).run();
      notify("failed");
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          error.message(), error.type(), failure, error);
    }
  }

  /** A cancel request surfaces directly or as the cause of the activity it interrupted. */
  private static boolean canceled(TemporalFailure failure) {
    return failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure;
  }

  /**
   * Where the deployment has a fair-share dispatcher, waits (status {@code queued}) for this
   * generation's turn on its GPU queue and holds it through the GPU stages; the turn is handed back
   * however they end.
   */
  private <T> T duringGpuTurn(Supplier<T> gpuStages) {
    int window = plan.settings().fairShareWindow();
    if (window <= 0) {
      return gpuStages.get();
    }
    String queue = plan.settings().gpuTaskQueue();
    try {
      timed(
          GenerationState.QUEUED,
          () -> {
            TurnRequest turn =
                new TurnRequest(queue, generationId, tenantId, window, request.submittedAtMillis());
            while (!gpuTurn) {
              fairShare.requestTurn(turn);
              Workflow.await(TURN_REQUEST_RENEWAL, () -> gpuTurn);
            }
            return null;
          });
      return gpuStages.get();
    } finally {
      Workflow.newDetachedCancellationScope(() -> releaseTurn(queue)).run();
    }
  }

  /**
   * Sent without waiting for delivery, so the next stage is scheduled in the same workflow task. A
   * dispatcher that is gone holds no turn; nothing to hand back then.
   */
  private void releaseTurn(String queue) {
    FairShareWorkflow dispatcher =
        Workflow.newExternalWorkflowStub(
            FairShareWorkflow.class, FairShareWorkflow.workflowId(queue));
    Async.procedure(dispatcher::release, generationId)
        .exceptionally(
            gone -> {
              Workflow.getLogger(GenerationWorkflowImpl.class)
                  .warn("fair-share dispatcher of {} is gone: {}", queue, gone.getMessage());
              return null;
            });
  }

  /**
   * Prepares the model on any host of the shared GPU queue, then denoises on that host's own queue
   * where the model is warm. The workflow owns the denoise retries: a host that stops heartbeating,
   * never picks the task up, or fails is replaced by preparing again, on whichever host is live.
   */
  private DenoiseResult denoiseOnWarmHost() {
    for (int hostAttempt = 1; ; hostAttempt++) {
      PreparedModel prepared = timed(GenerationState.PREPARING, this::prepareModel);
      modelDigest = prepared.modelDigest();
      gpuHost = prepared.hostTaskQueue();
      activityMillis += prepared.executionMillis();
      try {
        return timed(GenerationState.DENOISING, () -> denoiseOn(prepared.hostTaskQueue()));
      } catch (ActivityFailure failure) {
        if (!retryable(failure) || hostAttempt == MAX_HOST_ATTEMPTS) {
          throw failure;
        }
        progress = null;
        Workflow.sleep(Duration.ofSeconds(hostAttempt));
      }
    }
  }

  private PreparedModel prepareModel() {
    ModelActivities models =
        Workflow.newActivityStub(
            ModelActivities.class,
            StageOptions.prepareModel(plan.settings().gpuTaskQueue(), tenantShare()));
    return models.prepareModel(plan.model());
  }

  private DenoiseResult denoiseOn(String hostTaskQueue) {
    DenoiseActivities host =
        Workflow.newActivityStub(
            DenoiseActivities.class,
            StageOptions.denoise(hostTaskQueue, tenantShare(), plan.settings()));
    return host.denoise(new DenoiseInput(plan, modelDigest));
  }

  /**
   * GPU tasks carry the tenant as fairness key: a Temporal server with task queue fairness enabled
   * dispatches a queue's backlog round-robin across tenants, so one tenant's flood cannot starve
   * another's work. Servers without fairness (the embedded test server) ignore it.
   */
  private Priority tenantShare() {
    return Priority.newBuilder().setFairnessKey(tenantId).build();
  }

  private static boolean retryable(ActivityFailure failure) {
    return !(failure.getCause() instanceof ApplicationFailure app && app.isNonRetryable())
        && !(failure.getCause() instanceof CanceledFailure);
  }

  private List<ImageRef> upscaled(List<ImageRef> images) {
    UpscaleResult result = timed(GenerationState.UPSCALING, () -> upscale(images));
    activityMillis += result.executionMillis();
    return result.images();
  }

  private UpscaleResult upscale(List<ImageRef> images) {
    UpscaleInput input = new UpscaleInput(generationId, images, plan.upscale());
    if (plan.upscale().lanczos()) {
      return lanczos.upscaleLanczos(input);
    }
    ModelUpscaleActivities gpu =
        Workflow.newActivityStub(
            ModelUpscaleActivities.class,
            StageOptions.modelUpscale(plan.settings().gpuTaskQueue(), tenantShare()));
    return gpu.upscaleWithModel(input);
  }

  private void notify(String event) {
    if (plan == null || plan.webhook() == null || !plan.webhook().wants(event)) {
      return;
    }
    String workflowId = WebhookDeliveryWorkflow.workflowId(generationId, event);
    WebhookDeliveryWorkflow delivery =
        Workflow.newChildWorkflowStub(
            WebhookDeliveryWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    WebhookEvent payload =
        new WebhookEvent(
            workflowId,
            tenantId,
            plan.webhook().url(),
            "generation." + event,
            Workflow.currentTimeMillis(),
            status(),
            plan.settings().webhookRetrySchedule());
    if (Workflow.getVersion(DELIVERIES_OUTLIVE_CANCEL, Workflow.DEFAULT_VERSION, 1) == 1) {
      Workflow.newDetachedCancellationScope(() -> start(delivery, payload)).run();
    } else {
      start(delivery, payload);
    }
  }

  private static void start(WebhookDeliveryWorkflow delivery, WebhookEvent payload) {
    Async.function(delivery::deliver, payload);
    Workflow.getWorkflowExecution(delivery).get();
  }

  private <T> T timed(GenerationState stage, Supplier<T> work) {
    state = stage;
    revision++;
    long start = Workflow.currentTimeMillis();
    try {
      return work.get();
    } finally {
      timings.merge(stage.name().toLowerCase(), Workflow.currentTimeMillis() - start, Long::sum);
    }
  }

  /**
   * Closes out storage first, so a client that sees the end also finds it in the listing, and the
   * final status outlives the workflow's history. (A success is closed out by the store step.)
   */
  private void finish(GenerationState terminal) {
    long end = Workflow.currentTimeMillis();
    timings.put("activities", activityMillis);
    timings.put("total", end - createdAt);
    storage.closeOut(outcome(terminal, end));
    ended(terminal, end);
  }

  private GenerationOutcome outcome(GenerationState terminal, long end) {
    return new GenerationOutcome(
        tenantId,
        generationId,
        request.submittedAtMillis(),
        plan == null ? RequestValidation.priority(request) : plan.priority(),
        terminal,
        plan == null ? request.prompt() : plan.prompt(),
        plan == null ? request.model() : plan.model(),
        plan == null ? request.metadata() : plan.metadata(),
        outputs,
        error,
        end,
        statusAt(terminal, end, revision + 1));
  }

  private void ended(GenerationState terminal, long end) {
    state = terminal;
    finishedAt = end;
    revision++;
    Scope metrics =
        Workflow.getMetricsScope()
            .tagged(
                Map.of(
                    "status", terminal.name().toLowerCase(),
                    "model", plan == null ? "unknown" : plan.model(),
                    "priority", plan == null ? "unknown" : plan.priority(),
                    "tenant", tenantId == null ? "unknown" : tenantId,
                    "error_type", error == null ? "none" : error.type()));
    metrics.counter("dd_generations_finished").inc(1);
    metrics
        .timer("dd_generation_duration")
        .record(com.uber.m3.util.Duration.ofMillis(finishedAt - createdAt));
  }

  private static GenerationError describe(TemporalFailure failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof ApplicationFailure)) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure app) {
      if (app.getDetails().getSize() > 0) {
        GenerationError detail = app.getDetails().get(GenerationError.class);
        if (detail != null) {
          return detail;
        }
      }
      return new GenerationError(
          app.getType(), app.getOriginalMessage(), !app.isNonRetryable(), List.of());
    }
    if (cause instanceof TimeoutFailure) {
      return new GenerationError(
          ErrorTypes.GPU_HOST_LOST, "no GPU host completed the denoise", true, List.of());
    }
    return new GenerationError(
        ErrorTypes.INTERNAL, String.valueOf(cause.getMessage()), true, List.of());
  }

  @Override
  public GenerationStatus status() {
    return statusAt(state, finishedAt, revision);
  }

  private GenerationStatus statusAt(GenerationState state, Long finishedAt, long revision) {
    return new GenerationStatus(
        generationId,
        tenantId,
        state,
        progress,
        plan,
        outputs,
        error,
        Map.copyOf(timings),
        promptTruncated,
        negativePromptTruncated,
        modelDigest,
        gpuHost,
        createdAt,
        finishedAt,
        revision);
  }

  @Override
  public void gpuTurnGranted() {
    gpuTurn = true;
  }

  @Override
  public void reportProgress(Progress update) {
    if (state == GenerationState.DENOISING
        && (progress == null || update.step() >= progress.step())) {
      progress = update;
      revision++;
    }
  }
}
