package dev.durablediffusion.api.limits;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns new interactive work away with 429 while the interactive GPU backlog is at its limit, so
 * clients wait with a {@code Retry-After} instead of without bound. Batch work is always admitted:
 * it runs on its own queue and pool. The backlog is read at most once per {@code refresh}; when it
 * cannot be read, work is admitted.
 */
public class AdmissionControl {

  private static final Logger log = LoggerFactory.getLogger(AdmissionControl.class);

  private final GpuBacklog backlog;
  private final long maxInteractiveBacklog;
  private final Duration refresh;
  private final Duration retryAfter;
  private final LongSupplier nanoTime;
  private long depth;
  private long readAtNanos;
  private boolean read;

  public AdmissionControl(
      GpuBacklog backlog,
      long maxInteractiveBacklog,
      Duration refresh,
      Duration retryAfter,
      LongSupplier nanoTime) {
    this.backlog = backlog;
    this.maxInteractiveBacklog = maxInteractiveBacklog;
    this.refresh = refresh;
    this.retryAfter = retryAfter;
    this.nanoTime = nanoTime;
  }

  /**
   * @throws TooManyRequestsException when interactive work must wait
   */
  public void admit(String priority) {
    if (!"interactive".equals(priority) || maxInteractiveBacklog <= 0) {
      return;
    }
    long current = currentDepth();
    if (current >= maxInteractiveBacklog) {
      throw new TooManyRequestsException(
          "/problems/gpu-busy",
          "the interactive GPU queue is full ("
              + current
              + " waiting); retry later or submit with priority batch",
          retryAfter.toSeconds());
    }
  }

  private synchronized long currentDepth() {
    long now = nanoTime.getAsLong();
    if (!read || now - readAtNanos >= refresh.toNanos()) {
      try {
        depth = backlog.interactiveDepth();
      } catch (RuntimeException e) {
        log.warn("the GPU backlog could not be read; admitting work", e);
        depth = 0;
      }
      readAtNanos = now;
      read = true;
    }
    return depth;
  }
}
