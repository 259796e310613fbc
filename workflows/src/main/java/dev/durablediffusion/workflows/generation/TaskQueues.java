package dev.durablediffusion.workflows.generation;

/** Default task queue names; deployments may rename them through configuration. */
public final class TaskQueues {

  public static final String WORKFLOWS = "generation-workflows";
  public static final String CPU = "cpu-activities";
  public static final String GPU_INTERACTIVE = "gpu-interactive";
  public static final String GPU_BATCH = "gpu-batch";
  public static final String WEBHOOKS = "webhooks";

  private TaskQueues() {}
}
