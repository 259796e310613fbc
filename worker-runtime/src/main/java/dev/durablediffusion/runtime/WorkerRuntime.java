package dev.durablediffusion.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one process. Closing stops polling and waits up to the grace period for running
 * activities to finish before it abandons them, unlike a bare factory shutdown.
 */
public final class WorkerRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

  private final WorkerFactory factory;
  private final Duration shutdownGrace;

  /**
   * @param outer interceptors wrapped around the activity observation, outermost last (tracing,
   *     whose span the observation's log lines then carry)
   */
  public WorkerRuntime(
      WorkflowClient client,
      Duration shutdownGrace,
      MeterRegistry registry,
      List<WorkerInterceptor> outer) {
    List<WorkerInterceptor> interceptors = new ArrayList<>();
    interceptors.add(new ActivityObservation(registry));
    interceptors.addAll(outer);
    this.factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder()
                .setWorkerInterceptors(interceptors.toArray(WorkerInterceptor[]::new))
                .build());
    this.shutdownGrace = shutdownGrace;
  }

  public Worker newWorker(String taskQueue, WorkerOptions options) {
    return factory.newWorker(taskQueue, options);
  }

  public void start() {
    factory.start();
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn(
          "workers still busy after {}; abandoning their tasks to Temporal's retries",
          shutdownGrace);
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
