package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.durablediffusion.workflows.generation.GenerationStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Waiting for a generation's workflow to close, as {@code Prefer: wait} does. */
class TemporalGenerationWorkflowsTest {

  private static final String QUEUE = "held";

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private TemporalGenerationWorkflows workflows;

  @WorkflowInterface
  public interface HeldWorkflow {
    @WorkflowMethod
    void hold(boolean fail);

    @SignalMethod
    void release();
  }

  public static class HeldWorkflowImpl implements HeldWorkflow {
    private boolean released;

    @Override
    public void hold(boolean fail) {
      Workflow.await(() -> released);
      if (fail) {
        throw ApplicationFailure.newNonRetryableFailure("refused", "Refused");
      }
    }

    @Override
    public void release() {
      released = true;
    }
  }

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    env.newWorker(QUEUE).registerWorkflowImplementationTypes(HeldWorkflowImpl.class);
    env.start();
    client = env.getWorkflowClient();
    workflows =
        new TemporalGenerationWorkflows(
            client,
            new TemporalReachability(
                env.getWorkflowServiceStubs(), Duration.ofSeconds(1), System::nanoTime),
            null);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void aRunningWorkflowIsStillOpenWhenTheWaitEnds() {
    held("gen_running");

    assertThat(workflows.awaitClose("gen_running", Duration.ofMillis(300))).isFalse();
  }

  @Test
  void aWorkflowThatCompletedFailedOrWasCanceledHasClosed() {
    HeldWorkflow completed = held("gen_completed");
    HeldWorkflow failed = held("gen_failed", true);
    held("gen_canceled");

    completed.release();
    failed.release();
    client.newUntypedWorkflowStub("gen_canceled").cancel();

    assertThat(workflows.awaitClose("gen_completed", Duration.ofSeconds(10))).isTrue();
    assertThat(workflows.awaitClose("gen_failed", Duration.ofSeconds(10))).isTrue();
    assertThat(workflows.awaitClose("gen_canceled", Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void aLongPollCutAtItsDeadlineMeansTheWorkflowIsStillRunning() {
    TemporalGenerationWorkflows cut = withHistoryPollFailing("gen_cut", Status.DEADLINE_EXCEEDED);

    assertThat(cut.awaitClose("gen_cut", Duration.ofSeconds(1))).isFalse();
  }

  @Test
  void anyOtherFailureOfTheLongPollIsNotTakenForAnEnd() {
    TemporalGenerationWorkflows refused =
        withHistoryPollFailing("gen_refused", Status.PERMISSION_DENIED);

    assertThatThrownBy(() -> refused.awaitClose("gen_refused", Duration.ofSeconds(1)))
        .isInstanceOf(WorkflowServiceException.class);
  }

  /** The SDK wraps a failed history long poll as it does in {@code WorkflowStubImpl}. */
  private TemporalGenerationWorkflows withHistoryPollFailing(String id, Status status) {
    WorkflowClient failing = mock(WorkflowClient.class);
    WorkflowStub stub = mock(WorkflowStub.class);
    when(failing.newUntypedWorkflowStub(id)).thenReturn(stub);
    try {
      when(stub.getResult(anyLong(), any(TimeUnit.class), eq(GenerationStatus.class)))
          .thenThrow(
              new WorkflowServiceException(
                  WorkflowExecution.newBuilder().setWorkflowId(id).build(),
                  null,
                  new StatusRuntimeException(status)));
    } catch (TimeoutException e) {
      throw new AssertionError(e);
    }
    return new TemporalGenerationWorkflows(
        failing,
        new TemporalReachability(
            env.getWorkflowServiceStubs(), Duration.ofSeconds(1), System::nanoTime),
        null);
  }

  private HeldWorkflow held(String id) {
    return held(id, false);
  }

  private HeldWorkflow held(String id, boolean fail) {
    HeldWorkflow workflow =
        client.newWorkflowStub(
            HeldWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    WorkflowClient.start(workflow::hold, fail);
    return workflow;
  }
}
