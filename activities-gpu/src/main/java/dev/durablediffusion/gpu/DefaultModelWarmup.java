package dev.durablediffusion.gpu;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Loads the default model when the worker starts, off the startup thread, and reports the worker
 * ready only once it is warm: a pod in rotation never makes its first user wait for a cold load.
 */
final class DefaultModelWarmup
    implements ApplicationListener<ApplicationReadyEvent>, HealthIndicator {

  private static final Logger log = LoggerFactory.getLogger(DefaultModelWarmup.class);

  private final ModelProvider models;
  private final String model;
  private final AtomicReference<Health> health;

  DefaultModelWarmup(ModelProvider models, String model) {
    this.models = models;
    this.model = model;
    this.health = new AtomicReference<>(Health.outOfService().withDetail("model", model).build());
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    Thread warmup = new Thread(this::warm, "default-model-warmup");
    warmup.setDaemon(true);
    warmup.start();
  }

  private void warm() {
    long start = System.nanoTime();
    try (ModelProvider.Acquired acquired = models.acquire(model)) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      log.info("default model {} is warm after {} ms", model, millis);
      health.set(Health.up().withDetail("model", model).withDetail("warmupMillis", millis).build());
    } catch (RuntimeException e) {
      log.error("default model {} could not be loaded: {}", model, e.getMessage());
      health.set(
          Health.down().withDetail("model", model).withDetail("error", e.getMessage()).build());
    }
  }

  @Override
  public Health health() {
    return health.get();
  }
}
