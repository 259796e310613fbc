package dev.durablediffusion.api.events;

import dev.durablediffusion.api.generation.GenerationNotFoundException;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one poller of a generation's status, shared by all its open streams: each poll reads the
 * status once, renders it at most once, and hands it to every stream; a stream opened meanwhile
 * starts from the last poll's status. It closes when its last
 * stream leaves or the generation ends; a closed watch takes no new streams, so a stream that
 * comes after the end starts a watch of its own, which reads the ended generation.
 */
final class GenerationWatch implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(GenerationWatch.class);

  private final String tenant;
  private final String id;
  private final GenerationReads reads;
  private final Consumer<GenerationWatch> onClosed;
  private final List<EventStream> streams = new CopyOnWriteArrayList<>();
  private volatile RenderedStatus latest;
  private ScheduledFuture<?> polling;
  private boolean closed;

  /**
   * {@code first} is the status its first stream was opened with; {@code onClosed} runs once, when
   * the watch closes.
   */
  GenerationWatch(
      String tenant,
      String id,
      RenderedStatus first,
      GenerationReads reads,
      Consumer<GenerationWatch> onClosed) {
    this.tenant = tenant;
    this.id = id;
    this.latest = first;
    this.reads = reads;
    this.onClosed = onClosed;
  }

  /**
   * The status of the last poll: what a stream opened now starts from, without a read or a
   * rendering of its own.
   */
  RenderedStatus latest() {
    return latest;
  }

  synchronized void poll(ScheduledFuture<?> polling) {
    this.polling = polling;
  }

  /** False when the watch has closed; the caller starts a new one. */
  boolean join(EventStream stream) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      streams.add(stream);
    }
    if (stream.ended()) {
      leave(stream);
    }
    return true;
  }

  void leave(EventStream stream) {
    synchronized (this) {
      streams.remove(stream);
      if (!streams.isEmpty()) {
        return;
      }
    }
    close();
  }

  @Override
  public void run() {
    GenerationStatus status;
    try {
      status = reads.liveStatus(tenant, id);
    } catch (GenerationNotFoundException gone) {
      close();
      streams.forEach(EventStream::finish);
      return;
    } catch (RuntimeException e) {
      log.warn("event streams of {} could not read the status", id, e);
      return;
    }
    RenderedStatus rendered = new RenderedStatus(reads, status);
    latest = rendered;
    if (status.state().terminal()) {
      close();
    }
    streams.forEach(stream -> stream.deliver(rendered));
  }

  private void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (polling != null) {
        polling.cancel(false);
      }
    }
    onClosed.accept(this);
  }
}
