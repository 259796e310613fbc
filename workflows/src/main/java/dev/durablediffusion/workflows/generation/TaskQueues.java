package dev.durablediffusion.workflows.generation;

/**
 * The task queue names. The two shared GPU queues are defaults a deployment may rename ({@code
 * dd.cpu.interactive-gpu-queue}, {@code dd.cpu.batch-gpu-queue}, {@code dd.gpu.task-queues}); the
 * others are fixed.
 */
public final class TaskQueues {

  public static final String WORKFLOWS = "generation-workflows";
  public static final String CPU = "cpu-activities";
  public static final String GPU_INTERACTIVE = "gpu-interactive";
  public static final String GPU_BATCH = "gpu-batch";
  public static final String WEBHOOKS = "webhooks";

  private TaskQueues() {}
}
