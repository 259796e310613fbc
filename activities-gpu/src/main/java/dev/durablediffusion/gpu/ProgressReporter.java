package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.StepListener;
import dev.durablediffusion.engine.StepProgress;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.Progress;
import dev.durablediffusion.workflows.generation.StorageLayout;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import java.awt.image.BufferedImage;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats every step, which is how a cancellation reaches the denoise, and at most every
 * interval sends the progress (with a preview in the work area) to the workflow as a signal.
 */
final class ProgressReporter implements StepListener {

  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

  private final ActivityExecutionContext context;
  private final WorkflowClient client;
  private final ObjectStore store;
  private final String generationId;
  private final long intervalNanos;
  private final boolean previews;
  private long lastReport;

  ProgressReporter(ActivityExecutionContext context, WorkflowClient client, ObjectStore store, String generationId,
      Duration interval, boolean previews) {
    this.context = context;
    this.client = client;
    this.store = store;
    this.generationId = generationId;
    this.intervalNanos = interval.toNanos();
    this.previews = previews;
    this.lastReport = System.nanoTime() - intervalNanos;
  }

  @Override
  public void onStep(StepProgress step) {
    context.heartbeat(step.step());
    long now = System.nanoTime();
    if (now - lastReport < intervalNanos && step.step() < step.total()) {
      return;
    }
    lastReport = now;
    String previewRef = previews ? storePreview(step) : null;
    Progress progress = new Progress(step.step(), step.total(), step.elapsedMillis(), step.etaMillis(), previewRef);
    try {
      client.newUntypedWorkflowStub(context.getInfo().getWorkflowId()).signal("reportProgress", progress);
    } catch (RuntimeException e) {
      log.debug("progress of {} not delivered: {}", generationId, e.getMessage());
    }
  }

  private String storePreview(StepProgress step) {
    BufferedImage preview = step.preview().get();
    if (preview == null) {
      return null;
    }
    String ref = StorageLayout.preview(generationId);
    store.put(ObjectRef.parse(ref), PngCodec.encode(preview), PngCodec.CONTENT_TYPE);
    return ref;
  }
}
