package dev.durablediffusion.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor.ActivityInput;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor.ActivityOutput;
import io.temporal.common.interceptors.Header;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ActivityObservationTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void anActivityRunsWithItsGenerationActivityAndAttemptInTheLogContextAndLeavesItClean() {
    Activity activity = new Activity(() -> new ActivityOutput(MDC.getCopyOfContextMap()));

    Object context = run(activity, "gen-1/webhook/succeeded", "deliver", 3, "workflows");

    assertThat(context)
        .isEqualTo(Map.of("generation_id", "gen-1", "activity", "deliver", "attempt", "3"));
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void aSuccessIsTimedPerActivityQueueAndOutcome() {
    run(new Activity(() -> new ActivityOutput(null)), "gen-2", "store", 1, "cpu");

    Timer execution = execution("store", "cpu", "success");
    assertThat(execution.count()).isEqualTo(1);
    assertThat(registry.get("dd.activity.queue.wait").tag("task_queue", "cpu").timer().count())
        .isEqualTo(1);
  }

  @Test
  void anApplicationFailureIsCountedUnderItsTypeAndStillThrown() {
    Activity failing =
        new Activity(
            () -> {
              throw ApplicationFailure.newNonRetryableFailure("no such model", "ModelNotFound");
            });

    assertThatThrownBy(() -> run(failing, "gen-3", "prepareModel", 1, "gpu-interactive"))
        .isInstanceOf(ApplicationFailure.class);

    assertThat(execution("prepareModel", "gpu-interactive", "ModelNotFound").count()).isEqualTo(1);
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void anyOtherExceptionIsCountedUnderItsClassName() {
    Activity failing =
        new Activity(
            () -> {
              throw new IllegalStateException("disk full");
            });

    assertThatThrownBy(() -> run(failing, "gen-4", "store", 2, "cpu"))
        .isInstanceOf(IllegalStateException.class);

    assertThat(execution("store", "cpu", "IllegalStateException").count()).isEqualTo(1);
  }

  @Test
  void everyHostQueueIsTaggedAsOneClassSoTheMetricsStayBounded() {
    run(new Activity(() -> new ActivityOutput(null)), "gen-5", "denoise", 1, "gpu-host-a1b2");
    run(new Activity(() -> new ActivityOutput(null)), "gen-6", "denoise", 1, "gpu-host-c3d4");

    assertThat(execution("denoise", "gpu-host", "success").count()).isEqualTo(2);
    assertThat(registry.find("dd.activity.execution").tag("task_queue", "gpu-host-a1b2").timer())
        .isNull();
  }

  @Test
  void theQueueWaitIsTheTimeSinceTheAttemptWasScheduled() {
    long scheduled = System.currentTimeMillis() - 1_500;

    run(new Activity(() -> new ActivityOutput(null)), "gen-7", "store", 1, "cpu", scheduled);

    Timer wait = registry.get("dd.activity.queue.wait").tag("task_queue", "cpu").timer();
    assertThat(wait.totalTime(TimeUnit.MILLISECONDS)).isBetween(1_500.0, 60_000.0);
  }

  private Timer execution(String activity, String queue, String outcome) {
    return registry
        .get("dd.activity.execution")
        .tag("activity", activity)
        .tag("task_queue", queue)
        .tag("outcome", outcome)
        .timer();
  }

  private Object run(
      Activity activity, String workflowId, String type, int attempt, String taskQueue) {
    return run(activity, workflowId, type, attempt, taskQueue, System.currentTimeMillis());
  }

  private Object run(
      Activity activity,
      String workflowId,
      String type,
      int attempt,
      String taskQueue,
      long scheduledMillis) {
    ActivityInfo info = mock(ActivityInfo.class);
    when(info.getWorkflowId()).thenReturn(workflowId);
    when(info.getActivityType()).thenReturn(type);
    when(info.getAttempt()).thenReturn(attempt);
    when(info.getActivityTaskQueue()).thenReturn(taskQueue);
    when(info.getCurrentAttemptScheduledTimestamp()).thenReturn(scheduledMillis);
    ActivityExecutionContext context = mock(ActivityExecutionContext.class);
    when(context.getInfo()).thenReturn(info);
    ActivityInboundCallsInterceptor observed =
        new ActivityObservation(registry).interceptActivity(activity);
    observed.init(context);
    return observed.execute(new ActivityInput(Header.empty(), new Object[0])).getResult();
  }

  private record Activity(Supplier<ActivityOutput> body)
      implements ActivityInboundCallsInterceptor {

    @Override
    public void init(ActivityExecutionContext context) {}

    @Override
    public ActivityOutput execute(ActivityInput input) {
      return body.get();
    }
  }
}
