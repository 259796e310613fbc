package dev.durablediffusion.api.events;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of generations. All streams of one generation share one {@link
 * GenerationWatch}, so the workflow is asked for its status once per poll whatever the number of
 * streams; each tenant may hold a bounded number of streams open.
 */
public class GenerationEventStreams implements AutoCloseable {

  private static final Duration MAX_STREAM = Duration.ofHours(1);

  private final GenerationReads reads;
  private final Duration pollInterval;
  private final OpenStreamLimit limit;
  private final ScheduledExecutorService scheduler;
  private final Supplier<SseEmitter> emitters;
  private final ConcurrentMap<WatchKey, GenerationWatch> watches = new ConcurrentHashMap<>();

  public GenerationEventStreams(
      GenerationReads reads, Duration pollInterval, int maxStreamsPerTenant, int threads) {
    this(
        reads,
        pollInterval,
        maxStreamsPerTenant,
        threads,
        () -> new SseEmitter(MAX_STREAM.toMillis()));
  }

  GenerationEventStreams(
      GenerationReads reads,
      Duration pollInterval,
      int maxStreamsPerTenant,
      int threads,
      Supplier<SseEmitter> emitters) {
    this.reads = reads;
    this.emitters = emitters;
    this.pollInterval = pollInterval;
    this.limit = new OpenStreamLimit(maxStreamsPerTenant);
    this.scheduler = Executors.newScheduledThreadPool(threads, named());
  }

  private static ThreadFactory named() {
    return runnable -> {
      Thread thread = new Thread(runnable, "generation-events");
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Opens a stream. Unless the generation is watched already, its status is read here, so an
   * unknown or foreign id fails with 404 before any event is sent.
   *
   * @throws dev.durablediffusion.api.limits.TooManyRequestsException when the tenant holds its
   *     limit of open streams
   */
  public SseEmitter open(String tenant, String id, long lastEventId) {
    Runnable release = limit.reserve(tenant);
    try {
      WatchKey key = new WatchKey(tenant, id);
      GenerationWatch watched = watches.get(key);
      RenderedStatus first =
          watched == null ? new RenderedStatus(reads, reads.status(tenant, id)) : watched.latest();
      SseEmitter emitter = emitters.get();
      EventStream stream =
          new EventStream(
              emitter,
              lastEventId,
              ended -> {
                release.run();
                GenerationWatch watch = watches.get(key);
                if (watch != null) {
                  watch.leave(ended);
                }
              });
      stream.deliver(first);
      if (!stream.ended()) {
        watch(key, stream, first);
      }
      return emitter;
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }

  private void watch(WatchKey key, EventStream stream, RenderedStatus first) {
    while (true) {
      GenerationWatch watch = watches.computeIfAbsent(key, k -> start(k, first));
      if (watch.join(stream)) {
        return;
      }
      watches.remove(key, watch);
    }
  }

  private GenerationWatch start(WatchKey key, RenderedStatus first) {
    GenerationWatch watch =
        new GenerationWatch(
            key.tenant(), key.id(), first, reads, closed -> watches.remove(key, closed));
    watch.poll(
        scheduler.scheduleWithFixedDelay(
            watch, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS));
    return watch;
  }

  /** Generations with at least one open stream. */
  int watchedGenerations() {
    return watches.size();
  }

  int openStreams(String tenant) {
    return limit.open(tenant);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private record WatchKey(String tenant, String id) {}
}
