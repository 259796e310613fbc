package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface ModelActivities {

  /** Fetches, verifies and warms the model on this host; runs on the shared GPU queue. */
  PreparedModel prepareModel(String model);
}
