package dev.durablediffusion.api.limits;

import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.client.WorkflowClient;

/**
 * The backlog a Temporal cluster reports for the shared interactive GPU queue (DescribeTaskQueue
 * with stats): activity tasks waiting for a GPU worker. The same figure KEDA scales the GPU pool
 * on.
 */
public class TaskQueueBacklog implements GpuBacklog {

  private final WorkflowClient client;
  private final String interactiveQueue;

  public TaskQueueBacklog(WorkflowClient client, String interactiveQueue) {
    this.client = client;
    this.interactiveQueue = interactiveQueue;
  }

  @Override
  public long interactiveDepth() {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeTaskQueue(
            DescribeTaskQueueRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setTaskQueue(
                    TaskQueue.newBuilder()
                        .setName(interactiveQueue)
                        .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                .setReportStats(true)
                .build())
        .getStats()
        .getApproximateBacklogCount();
  }
}
