package dev.durablediffusion.gpu;

import dev.durablediffusion.storage.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.ExecutorService;

/** Makes the {@link ProgressReporter} of each denoise, sharing one thread pool and one client. */
final class ProgressReports {

  private final WorkflowClient client;
  private final ObjectStore store;
  private final ExecutorService executor;
  private final GpuWorkerProperties properties;
  private final MeterRegistry registry;

  ProgressReports(
      WorkflowClient client,
      ObjectStore store,
      ExecutorService executor,
      GpuWorkerProperties properties,
      MeterRegistry registry) {
    this.client = client;
    this.store = store;
    this.executor = executor;
    this.properties = properties;
    this.registry = registry;
  }

  ProgressReporter start(ActivityExecutionContext context, String generationId, String model) {
    Timer steps =
        Timer.builder("dd.denoise.step")
            .description("time of one denoise step (UNet batch and sampler update)")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(registry);
    return new ProgressReporter(
        context,
        client,
        store,
        executor,
        generationId,
        properties.progressInterval(),
        properties.previews(),
        steps);
  }

  boolean previews() {
    return properties.previews();
  }
}
