package dev.durablediffusion.gpu;

import dev.durablediffusion.gpu.checkpoint.CheckpointWriter;
import dev.durablediffusion.gpu.checkpoint.DenoiseCheckpoints;
import dev.durablediffusion.storage.ObjectStore;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.ExecutorService;

/**
 * Makes the {@link ProgressReporter} and the {@link CheckpointWriter} of each denoise, sharing one
 * thread pool and one client.
 */
final class ProgressReports {

  private final WorkflowClient client;
  private final ObjectStore store;
  private final ExecutorService executor;
  private final GpuWorkerProperties properties;
  private final MeterRegistry registry;
  private final DenoiseCheckpoints checkpoints;
  private final String host;

  ProgressReports(
      WorkflowClient client,
      ObjectStore store,
      ExecutorService executor,
      GpuWorkerProperties properties,
      MeterRegistry registry,
      DenoiseCheckpoints checkpoints,
      String host) {
    this.client = client;
    this.store = store;
    this.executor = executor;
    this.properties = properties;
    this.registry = registry;
    this.checkpoints = checkpoints;
    this.host = host;
  }

  /**
   * @param startedAt the step the denoise starts from
   */
  ProgressReporter start(
      ActivityExecutionContext context, String generationId, String model, int startedAt) {
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
        steps,
        new CheckpointWriter(
            checkpoints,
            executor,
            generationId,
            properties.checkpointInterval(),
            startedAt,
            Timer.builder("dd.denoise.checkpoint.write")
                .description("time to write one denoise checkpoint to storage")
                .tag("model", model)
                .register(registry),
            DistributionSummary.builder("dd.denoise.checkpoint.size")
                .description("size of one denoise checkpoint")
                .baseUnit("bytes")
                .tag("model", model)
                .register(registry),
            System::nanoTime),
        host);
  }

  boolean previews() {
    return properties.previews();
  }
}
