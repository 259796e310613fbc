package dev.durablediffusion.api.events;

import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's stream of a generation. It sends an event when the status' revision grows beyond
 * what this client saw: {@code status} when the stage changes, {@code progress} for denoise steps,
 * then {@code end} with the final generation, after which it closes; a comment every {@link
 * #KEEP_ALIVE} otherwise. The event id is the revision, so a client reconnecting with {@code
 * Last-Event-ID} gets only what is newer.
 */
final class EventStream {

  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final SseEmitter emitter;
  private final Consumer<EventStream> onEnd;
  private final AtomicBoolean ended = new AtomicBoolean();
  private long lastRevision;
  private String lastStage;
  private long lastSentNanos = System.nanoTime();

  /** {@code onEnd} runs once, however the stream ends: by the server, the client or a timeout. */
  EventStream(SseEmitter emitter, long lastEventId, Consumer<EventStream> onEnd) {
    this.emitter = emitter;
    this.lastRevision = lastEventId;
    this.onEnd = onEnd;
    emitter.onCompletion(this::stop);
    emitter.onTimeout(this::stop);
    emitter.onError(e -> stop());
  }

  boolean ended() {
    return ended.get();
  }

  /** The status is rendered only when this stream has something new to send. */
  synchronized void deliver(RenderedStatus rendered) {
    if (ended()) {
      return;
    }
    GenerationStatus status = rendered.status();
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
                .data(rendered.get(), MediaType.APPLICATION_JSON));
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

  /** Ends the stream from the server's side. */
  void finish() {
    stop();
    emitter.complete();
  }

  private void stop() {
    if (ended.compareAndSet(false, true)) {
      onEnd.accept(this);
    }
  }
}
