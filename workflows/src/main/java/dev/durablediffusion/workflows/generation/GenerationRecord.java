package dev.durablediffusion.workflows.generation;

import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the workflow knows of its generation, from which every status a client reads is built: the
 * stage, its timings, progress, outputs and how it ended. Each change a client can see raises the
 * revision.
 */
final class GenerationRecord {

  private final Map<String, Long> timings = new LinkedHashMap<>();
  private final long createdAt = Workflow.currentTimeMillis();
  private GenerationRequest request;
  private GenerationState state = GenerationState.QUEUED;
  private long revision;
  private GenerationPlan plan;
  private Progress progress;
  private List<ImageRef> outputs = List.of();
  private GenerationError error;
  private boolean promptTruncated;
  private boolean negativePromptTruncated;
  private String modelDigest;
  private String gpuHost;
  private final List<String> gpuHosts = new ArrayList<>();
  private Integer resumedFromStep;
  private Long finishedAt;
  private long activityMillis;

  void begin(GenerationRequest request) {
    this.request = request;
  }

  GenerationRequest request() {
    return request;
  }

  /** Null until validation has passed. */
  GenerationPlan plan() {
    return plan;
  }

  String generationId() {
    return request.generationId();
  }

  String tenantId() {
    return request.tenantId();
  }

  String modelDigest() {
    return modelDigest;
  }

  /** Runs one stage of the generation, which the status shows until the next, and times it. */
  <T> T during(GenerationState stage, Supplier<T> work) {
    state = stage;
    revision++;
    long start = Workflow.currentTimeMillis();
    try {
      return work.get();
    } finally {
      timings.merge(stage.name().toLowerCase(), Workflow.currentTimeMillis() - start, Long::sum);
    }
  }

  void planned(GenerationPlan plan) {
    this.plan = plan;
  }

  void preparedOn(PreparedModel prepared) {
    modelDigest = prepared.modelDigest();
    gpuHost = prepared.hostTaskQueue();
    if (!gpuHosts.contains(gpuHost)) {
      gpuHosts.add(gpuHost);
    }
    activityMillis += prepared.executionMillis();
  }

  /** A denoise that lost its host shows no progress until the next host reports its own. */
  void hostLost() {
    progress = null;
  }

  /** Keeps the furthest step a running denoise reported. */
  void progressed(Progress update) {
    if (state == GenerationState.DENOISING
        && (progress == null || update.step() >= progress.step())) {
      progress = update;
      revision++;
    }
  }

  void denoised(DenoiseResult denoised) {
    promptTruncated = denoised.promptTruncated();
    negativePromptTruncated = denoised.negativePromptTruncated();
    resumedFromStep = denoised.resumedFromStep();
    activityMillis += denoised.executionMillis();
  }

  void upscaled(UpscaleResult upscaled) {
    activityMillis += upscaled.executionMillis();
  }

  /** Enters the store stage with these images; the store step adds its own time. */
  StoreInput storing(List<ImageRef> images) {
    state = GenerationState.STORING;
    revision++;
    timings.put("activities", activityMillis);
    return new StoreInput(
        plan,
        images,
        modelDigest,
        promptTruncated,
        negativePromptTruncated,
        timings,
        List.copyOf(gpuHosts),
        resumedFromStep);
  }

  /** The images are in the outputs area; the close-out that follows ends the generation. */
  void storedImages(StoredImages stored) {
    outputs = List.copyOf(stored.outputs());
    activityMillis += stored.executionMillis();
    timings.put("storing", stored.executionMillis());
  }

  /**
   * The store step closed the generation out as succeeded with this final status, as it did for
   * generations that reached it before the workflow built every final status itself.
   */
  void stored(StoreResult result) {
    GenerationStatus stored = result.finalStatus();
    activityMillis += result.executionMillis();
    outputs = stored.outputs();
    timings.clear();
    timings.putAll(stored.timingsMillis());
    ended(GenerationState.SUCCEEDED, stored.finishedAtMillis());
  }

  void failedWith(GenerationError error) {
    this.error = error;
  }

  /** How the generation ends now, with the timings of the whole run, for the close-out. */
  GenerationOutcome endingNow(GenerationState terminal) {
    long end = Workflow.currentTimeMillis();
    timings.put("activities", activityMillis);
    timings.put("total", end - createdAt);
    return outcome(terminal, end);
  }

  /** The outcome the store step completed, for generations that reached it before version 1. */
  GenerationOutcome succeeding() {
    return outcome(GenerationState.SUCCEEDED, 0);
  }

  private GenerationOutcome outcome(GenerationState terminal, long end) {
    return new GenerationOutcome(
        request.tenantId(),
        request.generationId(),
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

  void ended(GenerationOutcome outcome) {
    ended(outcome.state(), outcome.finishedAtMillis());
  }

  private void ended(GenerationState terminal, long end) {
    state = terminal;
    finishedAt = end;
    revision++;
    FinishedGenerations.count(status());
  }

  GenerationStatus status() {
    return statusAt(state, finishedAt, revision);
  }

  private GenerationStatus statusAt(GenerationState state, Long finishedAt, long revision) {
    return new GenerationStatus(
        request == null ? null : request.generationId(),
        request == null ? null : request.tenantId(),
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
        List.copyOf(gpuHosts),
        resumedFromStep,
        createdAt,
        finishedAt,
        revision);
  }
}
