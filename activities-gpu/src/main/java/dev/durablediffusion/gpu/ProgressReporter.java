package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.StepListener;
import dev.durablediffusion.engine.StepProgress;
import dev.durablediffusion.gpu.checkpoint.CheckpointWriter;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.GenerationFailures;
import dev.durablediffusion.workflows.generation.Progress;
import dev.durablediffusion.workflows.generation.StorageLayout;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.client.WorkflowClient;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats every step, which is how a cancellation reaches the denoise, hands the step's
 * checkpoint to the {@link CheckpointWriter}, and at most every interval sends the progress (with a
 * preview in the work area) to the workflow as a signal. The report goes out on another thread and
 * is skipped while the previous one is still going, so slow storage or a slow frontend never stalls
 * the denoise or its heartbeats.
 */
final class ProgressReporter implements StepListener {

  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final ActivityExecutionContext context;
  private final WorkflowClient client;
  private final ObjectStore store;
  private final ExecutorService reports;
  private final String generationId;
  private final long intervalNanos;
  private final boolean previews;
  private final Timer steps;
  private final CheckpointWriter checkpoints;
  private final String host;
  private final AtomicBoolean reporting = new AtomicBoolean();
  private long lastReport;
  private long lastStepElapsed;

  ProgressReporter(
      ActivityExecutionContext context,
      WorkflowClient client,
      ObjectStore store,
      ExecutorService reports,
      String generationId,
      Duration interval,
      boolean previews,
      Timer steps,
      CheckpointWriter checkpoints,
      String host) {
    this.context = context;
    this.client = client;
    this.store = store;
    this.reports = reports;
    this.generationId = generationId;
    this.intervalNanos = interval.toNanos();
    this.previews = previews;
    this.steps = steps;
    this.checkpoints = checkpoints;
    this.host = host;
    this.lastReport = System.nanoTime() - intervalNanos;
  }

  @Override
  public void onStep(StepProgress step) {
    heartbeat(step);
    checkpoints.offer(step.checkpoint(), step.step() == step.total());
    steps.record(Duration.ofMillis(step.elapsedMillis() - lastStepElapsed));
    lastStepElapsed = step.elapsedMillis();
    long now = System.nanoTime();
    if (now - lastReport < intervalNanos || !reporting.compareAndSet(false, true)) {
      return;
    }
    lastReport = now;
    BufferedImage preview = previews ? step.preview().get() : null;
    Progress progress =
        new Progress(
            step.step(),
            step.total(),
            step.elapsedMillis(),
            step.etaMillis(),
            preview == null ? null : StorageLayout.preview(generationId));
    String workflowId = context.getInfo().getWorkflowId();
    reports.execute(
        () -> {
          try {
            if (preview != null) {
              store.put(
                  ObjectRef.parse(progress.previewRef()),
                  PngCodec.encode(preview),
                  PngCodec.CONTENT_TYPE);
            }
            client.newUntypedWorkflowStub(workflowId).signal("reportProgress", progress);
          } catch (RuntimeException e) {
            log.debug("progress of {} not delivered: {}", generationId, e.getMessage());
          } finally {
            reporting.set(false);
          }
        });
  }

  /**
   * Once the worker shuts down (SIGTERM, a node drain, an eviction notice), heartbeats throw: the
   * denoise checkpoints this step at once and hands the generation back with a retryable failure,
   * so that another host continues from here within seconds instead of this one finishing it or
   * the heartbeat timeout running out; after the last step only the decode is left, so it
   * finishes. A heartbeat that races the shutdown gets its next send
   * rejected by the worker's stopped heartbeat scheduler instead: the same signal.
   */
  private void heartbeat(StepProgress step) {
    try {
      context.heartbeat(new DenoiseHeartbeat(step.step(), checkpoints.durableStep()));
    } catch (ActivityWorkerShutdownException | RejectedExecutionException shutdown) {
      if (step.step() == step.total()) {
        return;
      }
      boolean saved = checkpoints.writeNow(step.checkpoint());
      int resumeAt = saved ? step.checkpoint().nextStep() : Math.max(checkpoints.durableStep(), 0);
      log.info(
          "worker shutting down: the denoise of {} hands over at step {}", generationId, resumeAt);
      throw GenerationFailures.hostDraining(host, resumeAt);
    }
  }
}
