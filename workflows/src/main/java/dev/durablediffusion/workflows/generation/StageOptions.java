package dev.durablediffusion.workflows.generation;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of every stage of a generation, in the order of the table in
 * docs/workflow.md that gives the reasons (StageOptionsTest holds the two together).
 */
public final class StageOptions {

  private StageOptions() {}

  /** The local activity that asks the queue's fair-share dispatcher for a GPU turn. */
  static LocalActivityOptions gpuTurnRequest() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(10))
        .build();
  }

  /**
   * Local: validation has no side effects, so a rerun is harmless, and it runs in the workflow task
   * together with the request for a GPU turn, without a task queue hop.
   */
  static LocalActivityOptions validate() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(5, ErrorTypes.INVALID_REQUEST))
        .build();
  }

  static ActivityOptions prepareModel(String gpuTaskQueue, String tenantId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(gpuTaskQueue)
        .setPriority(shareOf(tenantId))
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(Duration.ofMinutes(1))
        .setRetryOptions(retries(10, ErrorTypes.INVALID_REQUEST, ErrorTypes.MODEL_UNAVAILABLE))
        .build();
  }

  /** One attempt: the workflow owns the denoise's retries, each on a freshly prepared host. */
  static ActivityOptions denoise(
      String hostTaskQueue, String tenantId, StageSettings settings) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(hostTaskQueue)
        .setPriority(shareOf(tenantId))
        .setScheduleToStartTimeout(settings.hostScheduleToStart())
        .setStartToCloseTimeout(Duration.ofHours(1))
        .setHeartbeatTimeout(settings.denoiseHeartbeat())
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  static ActivityOptions lanczosUpscale() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.CPU)
        .setStartToCloseTimeout(Duration.ofMinutes(5))
        .setRetryOptions(retries(5, ErrorTypes.INVALID_REQUEST))
        .build();
  }

  static ActivityOptions modelUpscale(String gpuTaskQueue, String tenantId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(gpuTaskQueue)
        .setPriority(shareOf(tenantId))
        .setStartToCloseTimeout(Duration.ofMinutes(10))
        .setRetryOptions(retries(5, ErrorTypes.INVALID_REQUEST, ErrorTypes.MODEL_UNAVAILABLE))
        .build();
  }

  /** Store and close-out: idempotent writes that ride out a storage outage of several minutes. */
  static ActivityOptions storage() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.CPU)
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retries(20))
        .build();
  }

  /**
   * One send of a webhook event: a single attempt, since the delivery workflow's schedule is the
   * retry the receivers were promised.
   */
  public static ActivityOptions webhookSend() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.WEBHOOKS)
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  /**
   * The tenant as fairness key: a Temporal server with task queue fairness enabled dispatches a
   * queue's backlog round-robin across tenants, so one tenant's flood cannot starve another's work.
   * Servers without fairness ignore it.
   */
  private static Priority shareOf(String tenantId) {
    return Priority.newBuilder().setFairnessKey(tenantId).build();
  }

  private static RetryOptions retries(int maxAttempts, String... nonRetryable) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofSeconds(30))
        .setMaximumAttempts(maxAttempts)
        .setDoNotRetry(nonRetryable)
        .build();
  }
}
