package dev.durablediffusion.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.engine.StepProgress;
import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.engine.sampler.ResumableRandom;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import dev.durablediffusion.gpu.checkpoint.CheckpointInterval;
import dev.durablediffusion.gpu.checkpoint.CheckpointWriter;
import dev.durablediffusion.gpu.checkpoint.DenoiseCheckpoints;
import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.workflows.generation.ErrorTypes;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the denoise's per-step heartbeat reacts to a worker shutting down and to a cancel. */
class ProgressReporterTest {

  private final ExecutorService reports = Executors.newSingleThreadExecutor();
  private final List<DenoiseHeartbeat> heartbeats = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  @TempDir Path storage;
  private DenoiseCheckpoints checkpoints;

  @BeforeEach
  void start() {
    checkpoints = new DenoiseCheckpoints(new FilesystemObjectStore(storage));
  }

  @AfterEach
  void stop() {
    reports.shutdownNow();
  }

  @Test
  void aShutdownSeenByTheHeartbeatCheckpointsTheStepAndHandsTheDenoiseBack() {
    for (Supplier<RuntimeException> shutdown :
        List.<Supplier<RuntimeException>>of(
            () -> new ActivityWorkerShutdownException(info()),
            () -> new RejectedExecutionException("heartbeat scheduler terminated"))) {
      heartbeats.clear();
      ProgressReporter reporter = reporter(3, shutdown);
      reporter.onStep(step(1));
      reporter.onStep(step(2));

      assertThatThrownBy(() -> reporter.onStep(step(3)))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              failure -> {
                assertThat(failure.getType()).isEqualTo(ErrorTypes.GPU_HOST_DRAINING);
                assertThat(failure.isNonRetryable()).isFalse();
                assertThat(failure.getOriginalMessage()).contains("gpu-host-a", "step 3");
              });
      assertThat(checkpoints.latest("gen_1")).get().extracting(c -> c.nextStep()).isEqualTo(3);
    }
  }

  @Test
  void aShutdownAtTheLastStepLetsTheDecodeFinish() {
    ProgressReporter reporter =
        reporter(5, () -> new ActivityWorkerShutdownException(info()));
    for (int step = 1; step <= 4; step++) {
      reporter.onStep(step(step));
    }

    reporter.onStep(step(5));

    assertThat(checkpoints.latest("gen_1")).isEmpty();
  }

  @Test
  void heartbeatsCarryTheStepOfTheLastCheckpointInStorage() {
    ProgressReporter reporter = reporter(99, () -> new IllegalStateException("unused"), "2");

    for (int step = 1; step <= 4; step++) {
      reporter.onStep(step(step));
      awaitIdle();
    }

    assertThat(heartbeats).extracting(DenoiseHeartbeat::step).containsExactly(1, 2, 3, 4);
    assertThat(heartbeats)
        .extracting(DenoiseHeartbeat::checkpointStep)
        .containsExactly(-1, -1, 2, 2);
    assertThat(checkpoints.latest("gen_1")).get().extracting(c -> c.nextStep()).isEqualTo(4);
  }

  @Test
  void aCancelStillStopsTheDenoise() {
    ProgressReporter reporter = reporter(2, () -> new ActivityCanceledException(info()));

    reporter.onStep(step(1));

    assertThatThrownBy(() -> reporter.onStep(step(2)))
        .isInstanceOf(ActivityCanceledException.class);
  }

  /** A reporter whose heartbeats throw from the given step on, checkpointing every 10 steps. */
  private ProgressReporter reporter(int failingFrom, Supplier<RuntimeException> failure) {
    return reporter(failingFrom, failure, "10");
  }

  private ProgressReporter reporter(
      int failingFrom, Supplier<RuntimeException> failure, String checkpointInterval) {
    ActivityExecutionContext context =
        (ActivityExecutionContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ActivityExecutionContext.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "heartbeat" -> {
                        DenoiseHeartbeat beat = (DenoiseHeartbeat) args[0];
                        heartbeats.add(beat);
                        if (beat.step() >= failingFrom) {
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
        Timer.builder("steps").register(registry),
        new CheckpointWriter(
            checkpoints,
            reports,
            "gen_1",
            CheckpointInterval.valueOf(checkpointInterval),
            0,
            Timer.builder("writes").register(registry),
            DistributionSummary.builder("sizes").register(registry),
            System::nanoTime),
        "gpu-host-a");
  }

  /** Waits until the checkpoint write queued before has run. */
  private void awaitIdle() {
    try {
      reports.submit(() -> {}).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
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
    return new StepProgress(
        step,
        5,
        step * 10L,
        (5 - step) * 10L,
        () -> null,
        new DenoiseCheckpoint(
            "fingerprint",
            step,
            new float[] {step},
            SamplerMemory.NONE,
            List.of(new ResumableRandom(1L).state())));
  }
}
