package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.WarmPool;
import dev.durablediffusion.storage.hosts.WarmHost;
import dev.durablediffusion.storage.hosts.WarmHosts;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the platform which models this worker holds warm: writes its record within a second of a
 * change (a load, an eviction), renews it every interval (valid for three), and withdraws it at
 * shutdown. {@code GET /v1/models} reads the records.
 */
final class WarmModelsBeacon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WarmModelsBeacon.class);
  private static final Duration CHANGE_CHECK = Duration.ofSeconds(1);

  private final WarmHosts hosts;
  private final WarmPool pool;
  private final String worker;
  private final String device;
  private final Duration interval;
  private final Clock clock;
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "warm-models-beacon");
            thread.setDaemon(true);
            return thread;
          });
  private List<String> published;
  private long publishedAtMillis;

  WarmModelsBeacon(
      WarmHosts hosts,
      WarmPool pool,
      String worker,
      String device,
      Duration interval,
      Clock clock) {
    this.hosts = hosts;
    this.pool = pool;
    this.worker = worker;
    this.device = device;
    this.interval = interval;
    this.clock = clock;
  }

  void start() {
    long tick = Math.min(CHANGE_CHECK.toMillis(), interval.toMillis());
    schedule.scheduleWithFixedDelay(this::tick, 0, tick, TimeUnit.MILLISECONDS);
  }

  /** Writes when the warm set changed or the record is due for renewal. */
  void tick() {
    List<String> models = pool.warmModels().stream().distinct().toList();
    long now = clock.millis();
    if (models.equals(published) && now - publishedAtMillis < interval.toMillis()) {
      return;
    }
    try {
      hosts.publish(new WarmHost(worker, device, models, now + 3 * interval.toMillis()));
      published = models;
      publishedAtMillis = now;
    } catch (RuntimeException e) {
      log.warn("could not renew the warm models record of {}: {}", worker, e.getMessage());
    }
  }

  /** A renewal still running would write the record again after it is withdrawn. */
  @Override
  public void close() {
    schedule.shutdownNow();
    try {
      schedule.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      hosts.withdraw(worker);
    } catch (RuntimeException e) {
      log.warn("could not withdraw the warm models record of {}: {}", worker, e.getMessage());
    }
  }
}
