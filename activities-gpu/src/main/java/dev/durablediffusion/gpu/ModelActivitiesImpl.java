package dev.durablediffusion.gpu;

import dev.durablediffusion.workflows.generation.ModelActivities;
import dev.durablediffusion.workflows.generation.PreparedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.Activity;
import java.util.concurrent.TimeUnit;

/** Runs on the shared GPU queue: makes the model warm here and tells where "here" is. */
public class ModelActivitiesImpl implements ModelActivities {

  private final ModelProvider models;
  private final HostTaskQueue hostQueue;
  private final MeterRegistry registry;

  ModelActivitiesImpl(ModelProvider models, HostTaskQueue hostQueue, MeterRegistry registry) {
    this.models = models;
    this.hostQueue = hostQueue;
    this.registry = registry;
  }

  @Override
  public PreparedModel prepareModel(String model) {
    long start = System.nanoTime();
    Activity.getExecutionContext().heartbeat(model);
    try (ModelProvider.Acquired acquired = models.acquire(model)) {
      boolean warm = acquired.lease().warm() && acquired.cached().hit();
      long loadMillis = acquired.cached().fetchMillis() + acquired.lease().loadMillis();
      Timer.builder("dd.model.prepare")
          .description("time to make a model ready on this host, warm or cold")
          .tag("model", model)
          .tag("warm", Boolean.toString(warm))
          .publishPercentileHistogram()
          .register(registry)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return new PreparedModel(
          hostQueue.name(),
          acquired.cached().bundle().digest(),
          warm,
          warm ? 0 : loadMillis,
          (System.nanoTime() - start) / 1_000_000,
          hostQueue.name());
    }
  }
}
