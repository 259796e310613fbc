package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.StepListener;
import dev.durablediffusion.engine.StepProgress;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
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
 * Heartbeats every step, which is how a cancellation reaches the denoise, and at most every
 * interval sends the progress (with a preview in the work area) to the workflow as a signal. The
 * report goes out on another thread and is skipped while the previous one is still going, so slow
 * storage or a slow frontend never stalls the denoise or its heartbeats.
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
  private final AtomicBoolean reporting = new AtomicBoolean();
  private boolean draining;
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
      Timer steps) {
    this.context = context;
    this.client = client;
    this.store = store;
    this.reports = reports;
    this.generationId = generationId;
    this.intervalNanos = interval.toNanos();
    this.previews = previews;
    this.steps = steps;
    this.lastReport = System.nanoTime() - intervalNanos;
  }

  @Override
  public void onStep(StepProgress step) {
    heartbeat(step.step());
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
   * Once the worker shuts down, heartbeats throw; the step keeps going so a graceful shutdown lets
   * the denoise finish (if it outlasts the heartbeat timeout, the workflow reruns it elsewhere). A
   * heartbeat that races the shutdown gets its next send rejected by the worker's stopped heartbeat
   * scheduler instead: the same signal.
   */
  private void heartbeat(int step) {
    if (draining) {
      return;
    }
    try {
      context.heartbeat(step);
    } catch (ActivityWorkerShutdownException | RejectedExecutionException shutdown) {
      draining = true;
      log.info(
          "worker shutting down: finishing the denoise of {} without heartbeats", generationId);
    }
  }
}
