package dev.durablediffusion.api.events;

import dev.durablediffusion.api.generation.GenerationNotFoundException;
import dev.durablediffusion.api.generation.GenerationService;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for one generation. Each stream reads the workflow's status on a shared
 * scheduler and sends an event when the status' revision grows: {@code status} when the stage
 * changes, {@code progress} for denoise steps, then {@code end} with the final generation, after
 * which the stream closes. The event id is the revision, so a client reconnecting with {@code
 * Last-Event-ID} gets only what is newer; one that already saw the end gets nothing and the stream
 * closes.
 */
public class GenerationEventStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GenerationEventStreams.class);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final Duration MAX_STREAM = Duration.ofHours(1);

  private final GenerationService generations;
  private final Duration pollInterval;
  private final ScheduledExecutorService scheduler;

  public GenerationEventStreams(GenerationService generations, Duration pollInterval, int threads) {
    this.generations = generations;
    this.pollInterval = pollInterval;
    this.scheduler = Executors.newScheduledThreadPool(threads, named());
  }

  private static java.util.concurrent.ThreadFactory named() {
    return runnable -> {
      Thread thread = new Thread(runnable, "generation-events");
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Opens a stream; the first read happens here, so an unknown or foreign id fails with 404 before
   * any event is sent.
   */
  public SseEmitter open(String tenant, String id, long lastEventId) {
    GenerationStatus first = generations.status(tenant, id);
    SseEmitter emitter = new SseEmitter(MAX_STREAM.toMillis());
    Stream stream = new Stream(tenant, id, emitter, lastEventId);
    stream.deliver(first);
    if (!stream.ended) {
      stream.schedule();
    }
    return emitter;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private final class Stream implements Runnable {
    private final String tenant;
    private final String id;
    private final SseEmitter emitter;
    private final AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    private long lastRevision;
    private String lastStage;
    private long lastSentNanos = System.nanoTime();
    private volatile boolean ended;

    Stream(String tenant, String id, SseEmitter emitter, long lastEventId) {
      this.tenant = tenant;
      this.id = id;
      this.emitter = emitter;
      this.lastRevision = lastEventId;
      emitter.onCompletion(this::stop);
      emitter.onTimeout(this::stop);
      emitter.onError(e -> stop());
    }

    void schedule() {
      task.set(
          scheduler.scheduleWithFixedDelay(
              this, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void run() {
      try {
        deliver(generations.liveStatus(tenant, id));
      } catch (GenerationNotFoundException gone) {
        finish();
      } catch (RuntimeException e) {
        log.warn("event stream of {} could not read the status", id, e);
      }
    }

    synchronized void deliver(GenerationStatus status) {
      if (ended) {
        return;
      }
      try {
        String stage = status.state().name();
        if (status.revision() > lastRevision) {
          String name =
              status.state().terminal()
                  ? "end"
                  : stage.equals(lastStage) && status.progress() != null ? "progress" : "status";
          emitter.send(
              SseEmitter.event()
                  .id(Long.toString(status.revision()))
                  .name(name)
                  .data(generations.resource(status), MediaType.APPLICATION_JSON));
          lastRevision = status.revision();
          lastSentNanos = System.nanoTime();
        } else if (System.nanoTime() - lastSentNanos > KEEP_ALIVE.toNanos()) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastSentNanos = System.nanoTime();
        }
        lastStage = stage;
        if (status.state().terminal()) {
          finish();
        }
      } catch (IOException | IllegalStateException clientGone) {
        stop();
      }
    }

    private void finish() {
      stop();
      emitter.complete();
    }

    private void stop() {
      ended = true;
      ScheduledFuture<?> scheduled = task.get();
      if (scheduled != null) {
        scheduled.cancel(false);
      }
    }
  }
}
