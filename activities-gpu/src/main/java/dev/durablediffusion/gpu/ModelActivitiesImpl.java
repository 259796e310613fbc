package dev.durablediffusion.gpu;

import dev.durablediffusion.workflows.generation.ModelActivities;
import dev.durablediffusion.workflows.generation.PreparedModel;
import io.temporal.activity.Activity;

/** Runs on the shared GPU queue: makes the model warm here and tells where "here" is. */
public class ModelActivitiesImpl implements ModelActivities {

  private final ModelProvider models;
  private final HostTaskQueue hostQueue;

  ModelActivitiesImpl(ModelProvider models, HostTaskQueue hostQueue) {
    this.models = models;
    this.hostQueue = hostQueue;
  }

  @Override
  public PreparedModel prepareModel(String model) {
    long start = System.nanoTime();
    Activity.getExecutionContext().heartbeat(model);
    try (ModelProvider.Acquired acquired = models.acquire(model)) {
      boolean warm = acquired.lease().warm() && acquired.cached().hit();
      long loadMillis = acquired.cached().fetchMillis() + acquired.lease().loadMillis();
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
