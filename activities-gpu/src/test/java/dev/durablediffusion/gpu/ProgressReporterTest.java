package dev.durablediffusion.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.engine.StepProgress;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How the denoise's per-step heartbeat reacts to a worker shutting down and to a cancel. */
class ProgressReporterTest {

  private final ExecutorService reports = Executors.newSingleThreadExecutor();
  private final List<Integer> heartbeats = new ArrayList<>();

  @AfterEach
  void stop() {
    reports.shutdownNow();
  }

  @Test
  void aShutdownSeenByTheHeartbeatLetsTheDenoiseFinishWithoutFurtherHeartbeats() {
    for (Supplier<RuntimeException> shutdown :
        List.<Supplier<RuntimeException>>of(
            () -> new ActivityWorkerShutdownException(info()),
            () -> new RejectedExecutionException("heartbeat scheduler terminated"))) {
      heartbeats.clear();
      ProgressReporter reporter = reporter(2, shutdown);

      for (int step = 1; step <= 5; step++) {
        reporter.onStep(step(step));
      }

      assertThat(heartbeats).containsExactly(1, 2);
    }
  }

  @Test
  void aCancelStillStopsTheDenoise() {
    ProgressReporter reporter = reporter(2, () -> new ActivityCanceledException(info()));

    reporter.onStep(step(1));

    assertThatThrownBy(() -> reporter.onStep(step(2)))
        .isInstanceOf(ActivityCanceledException.class);
  }

  /** A reporter whose heartbeats throw from the given step on. */
  private ProgressReporter reporter(int failingFrom, Supplier<RuntimeException> failure) {
    ActivityExecutionContext context =
        (ActivityExecutionContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ActivityExecutionContext.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "heartbeat" -> {
                        int step = (Integer) args[0];
                        heartbeats.add(step);
                        if (step >= failingFrom) {
                          throw failure.get();
                        }
                        yield null;
                      }
                      case "getInfo" -> info();
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return new ProgressReporter(
        context,
        null,
        null,
        reports,
        "gen_1",
        Duration.ofHours(1),
        false,
        Timer.builder("steps").register(new SimpleMeterRegistry()));
  }

  private static ActivityInfo info() {
    return (ActivityInfo)
        Proxy.newProxyInstance(
            ProgressReporterTest.class.getClassLoader(),
            new Class<?>[] {ActivityInfo.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getWorkflowId" -> "gen_1";
                  case "toString" -> "info";
                  default -> null;
                });
  }

  private static StepProgress step(int step) {
    return new StepProgress(step, 5, step * 10L, (5 - step) * 10L, () -> null, null);
  }
}
