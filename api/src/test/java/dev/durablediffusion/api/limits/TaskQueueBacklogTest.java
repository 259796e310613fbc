package dev.durablediffusion.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The backlog reading a real cluster answers, against a stand-in frontend: the test server has no
 * DescribeTaskQueue. Checks the question asked and the figure read from the answer.
 */
class TaskQueueBacklogTest {

  @Test
  void asksForTheNamedQueuesActivityStatsAndReadsTheApproximateBacklog() throws Exception {
    AtomicReference<DescribeTaskQueueRequest> asked = new AtomicReference<>();
    String name = InProcessServerBuilder.generateName();
    Server frontend =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new WorkflowServiceGrpc.WorkflowServiceImplBase() {
                  @Override
                  public void getSystemInfo(
                      GetSystemInfoRequest request,
                      StreamObserver<GetSystemInfoResponse> response) {
                    response.onNext(GetSystemInfoResponse.getDefaultInstance());
                    response.onCompleted();
                  }

                  @Override
                  public void describeTaskQueue(
                      DescribeTaskQueueRequest request,
                      StreamObserver<DescribeTaskQueueResponse> response) {
                    asked.set(request);
                    response.onNext(
                        DescribeTaskQueueResponse.newBuilder()
                            .setStats(TaskQueueStats.newBuilder().setApproximateBacklogCount(42))
                            .build());
                    response.onCompleted();
                  }
                })
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setChannel(channel).build());
    try {
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace("durable-diffusion").build());

      long depth = new TaskQueueBacklog(client, "gpu-interactive-eu").interactiveDepth();

      assertThat(depth).isEqualTo(42);
      DescribeTaskQueueRequest request = asked.get();
      assertThat(request.getNamespace()).isEqualTo("durable-diffusion");
      assertThat(request.getTaskQueue().getName()).isEqualTo("gpu-interactive-eu");
      assertThat(request.getTaskQueue().getKind()).isEqualTo(TaskQueueKind.TASK_QUEUE_KIND_NORMAL);
      assertThat(request.getTaskQueueType()).isEqualTo(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
      assertThat(request.getReportStats()).isTrue();
    } finally {
      stubs.shutdownNow();
      channel.shutdownNow();
      frontend.shutdownNow();
    }
  }
}
