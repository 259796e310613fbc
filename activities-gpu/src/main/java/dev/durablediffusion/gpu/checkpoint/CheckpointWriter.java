package dev.durablediffusion.gpu.checkpoint;

import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one denoise's checkpoints at the configured interval on another thread, with at most one
 * write in flight: a step that falls due while the previous write is still going skips its turn, so
 * slow storage never stalls the loop. Not for use by more than one denoise thread.
 */
public final class CheckpointWriter {

  private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

  private final DenoiseCheckpoints checkpoints;
  private final Executor executor;
  private final String generationId;
  private final CheckpointInterval interval;
  private final Timer writes;
  private final DistributionSummary sizes;
  private final LongSupplier nanoTime;
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
  private volatile int durableStep = -1;
  private int lastStep;
  private long lastNanos;

  /**
   * @param startedAt the step the denoise starts from, counted as checkpointed
   */
  public CheckpointWriter(
      DenoiseCheckpoints checkpoints,
      Executor executor,
      String generationId,
      CheckpointInterval interval,
      int startedAt,
      Timer writes,
      DistributionSummary sizes,
      LongSupplier nanoTime) {
    this.checkpoints = checkpoints;
    this.executor = executor;
    this.generationId = generationId;
    this.interval = interval;
    this.writes = writes;
    this.sizes = sizes;
    this.nanoTime = nanoTime;
    this.lastStep = startedAt;
    this.lastNanos = nanoTime.getAsLong();
  }

  /** Called after every step; starts a write when one is due and none is in flight. */
  public void offer(DenoiseCheckpoint checkpoint, boolean lastStepOfRun) {
    long now = nanoTime.getAsLong();
    if (lastStepOfRun
        || !inFlight.isDone()
        || !interval.due(checkpoint.nextStep(), lastStep, now - lastNanos)) {
      return;
    }
    lastStep = checkpoint.nextStep();
    lastNanos = now;
    try {
      inFlight = CompletableFuture.runAsync(() -> write(checkpoint), executor);
    } catch (RejectedExecutionException shuttingDown) {
      log.debug("checkpoint of {} at step {} skipped: {}", generationId, lastStep, shuttingDown);
    }
  }

  /**
   * Writes this checkpoint now, after any write in flight, on the calling thread.
   *
   * @return whether it is in storage
   */
  public boolean writeNow(DenoiseCheckpoint checkpoint) {
    inFlight.exceptionally(e -> null).join();
    return write(checkpoint);
  }

  /** The step the last checkpoint in storage resumes at, or -1 when none has been written. */
  public int durableStep() {
    return durableStep;
  }

  private boolean write(DenoiseCheckpoint checkpoint) {
    long started = nanoTime.getAsLong();
    try {
      sizes.record(checkpoints.save(generationId, checkpoint));
      writes.record(nanoTime.getAsLong() - started, TimeUnit.NANOSECONDS);
      durableStep = Math.max(durableStep, checkpoint.nextStep());
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "checkpoint of {} at step {} not written: {}",
          generationId,
          checkpoint.nextStep(),
          e.getMessage());
      return false;
    }
  }
}
