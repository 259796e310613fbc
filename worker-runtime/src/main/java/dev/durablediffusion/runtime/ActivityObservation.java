package dev.durablediffusion.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Observes every activity the same way: its queue wait ({@code dd.activity.queue.wait}: scheduled
 * to started, per task queue) and its execution ({@code dd.activity.execution}, per activity and
 * outcome), puts the generation id, activity and attempt into the log context while it runs, and
 * logs one line when it ends.
 */
public final class ActivityObservation extends WorkerInterceptorBase {

  private static final Logger log = LoggerFactory.getLogger(ActivityObservation.class);

  private final MeterRegistry registry;

  public ActivityObservation(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new Observed(next);
  }

  private final class Observed extends ActivityInboundCallsInterceptorBase {
    private ActivityInfo info;

    Observed(ActivityInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(ActivityExecutionContext context) {
      info = context.getInfo();
      super.init(context);
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      long start = System.nanoTime();
      String queue = queueClass(info.getActivityTaskQueue());
      Timer.builder("dd.activity.queue.wait")
          .description("time from an activity attempt's scheduling to its start")
          .tag("task_queue", queue)
          .publishPercentileHistogram()
          .register(registry)
          .record(
              Duration.ofMillis(
                  Math.max(
                      0, System.currentTimeMillis() - info.getCurrentAttemptScheduledTimestamp())));
      String outcome = "success";
      MDC.put("generation_id", generationId(info.getWorkflowId()));
      MDC.put("activity", info.getActivityType());
      MDC.put("attempt", Integer.toString(info.getAttempt()));
      try {
        return super.execute(input);
      } catch (ApplicationFailure failure) {
        outcome = failure.getType();
        throw failure;
      } catch (RuntimeException | Error e) {
        outcome = e.getClass().getSimpleName();
        throw e;
      } finally {
        long nanos = System.nanoTime() - start;
        log.info(
            "{} attempt {} ended: {} after {} ms",
            info.getActivityType(),
            info.getAttempt(),
            outcome,
            TimeUnit.NANOSECONDS.toMillis(nanos));
        MDC.remove("generation_id");
        MDC.remove("activity");
        MDC.remove("attempt");
        Timer.builder("dd.activity.execution")
            .description("execution time of one activity attempt")
            .tag("activity", info.getActivityType())
            .tag("task_queue", queue)
            .tag("outcome", outcome)
            .publishPercentileHistogram()
            .register(registry)
            .record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** Host queues are one per process: tag them as a class so metrics stay bounded. */
  static String queueClass(String taskQueue) {
    return taskQueue.startsWith("gpu-host-") ? "gpu-host" : taskQueue;
  }

  private static String generationId(String workflowId) {
    int webhook = workflowId.indexOf("/webhook/");
    return webhook < 0 ? workflowId : workflowId.substring(0, webhook);
  }
}
