package dev.durablediffusion.api.generation;

import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.storage.index.GenerationIndex.InFlightMarker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears in-flight markers whose generation no longer runs: one lost with a server, one whose
 * close-out ran before the API wrote its markers, one terminated from outside. Without this each
 * would count against its tenant's in-flight limit and the admission backlog for ever. Runs at
 * start-up and then every interval; the markers of running generations are left alone.
 */
public class InFlightReconciler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InFlightReconciler.class);

  /** Whether the workflow of a generation is running; false when it ended or is unknown. */
  public interface WorkflowLiveness {
    boolean running(String generationId);
  }

  private final GenerationIndex index;
  private final WorkflowLiveness liveness;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "in-flight-reconciler");
            thread.setDaemon(true);
            return thread;
          });

  public InFlightReconciler(GenerationIndex index, WorkflowLiveness liveness) {
    this.index = index;
    this.liveness = liveness;
  }

  /** Reconciles now and then every {@code interval}. */
  public void start(Duration interval) {
    schedule.scheduleWithFixedDelay(
        this::reconcileLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One pass: returns how many generations' markers were cleared. */
  public int reconcile() {
    int cleared = 0;
    for (InFlightMarker marker : index.inFlightMarkers()) {
      if (!liveness.running(marker.generationId())) {
        index.clearInFlight(marker);
        cleared++;
      }
    }
    return cleared;
  }

  private void reconcileLogged() {
    try {
      int cleared = reconcile();
      if (cleared > 0) {
        log.info("cleared the in-flight markers of {} generations that no longer run", cleared);
      }
    } catch (RuntimeException e) {
      log.warn("in-flight markers could not be reconciled; trying again later", e);
    }
  }

  @Override
  public void close() {
    schedule.shutdownNow();
  }
}
