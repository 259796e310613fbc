package dev.durablediffusion.gpu;

import dev.durablediffusion.gpu.checkpoint.CheckpointInterval;
import dev.durablediffusion.workflows.generation.TaskQueues;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The GPU worker ({@code dd.gpu.*}).
 *
 * @param device {@code cpu} or {@code cuda:N}
 * @param slots concurrent GPU activities; the number of GPUs this worker drives
 * @param taskQueues shared GPU queues this worker serves (one per job class it runs): both by
 *     default, so a lone worker runs batch work too; a pool for one class names only its own
 * @param hostTaskQueue this host's own queue; generated from the host name when blank
 * @param heartbeatThrottle the most time between a heartbeat call and the server seeing it, which
 *     bounds how fast a cancellation reaches a running denoise
 * @param progressInterval the least time between progress reports to the workflow
 * @param checkpointInterval how often a running denoise writes its checkpoint: a number of steps,
 *     a time ({@code 2s}) or {@code off}; a shutdown always writes one
 * @param shutdownGrace how long shutdown waits for running activities
 * @param scheduledEvents where to watch for a spot eviction of this VM; off without a URL
 * @param warmReportInterval how often the worker renews its record of warm models (GET /v1/models),
 *     each valid for three intervals
 */
@Validated
@ConfigurationProperties(prefix = "dd.gpu")
public record GpuWorkerProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("cpu") @NotBlank String device,
    @DefaultValue("1") @Min(1) int slots,
    @DefaultValue({TaskQueues.GPU_INTERACTIVE, TaskQueues.GPU_BATCH}) @NotEmpty
        List<String> taskQueues,
    @DefaultValue("") String hostTaskQueue,
    @DefaultValue("./data/model-cache") Path modelCacheDirectory,
    @DefaultValue("20GB") DataSize modelCacheBudget,
    @DefaultValue("8GB") DataSize warmPoolBudget,
    @DefaultValue("250ms") Duration heartbeatThrottle,
    @DefaultValue("500ms") Duration progressInterval,
    @DefaultValue("true") boolean previews,
    @DefaultValue("2s") CheckpointInterval checkpointInterval,
    @DefaultValue("10m") Duration shutdownGrace,
    @DefaultValue("10s") Duration warmReportInterval,
    @DefaultValue ScheduledEvents scheduledEvents) {

  /**
   * Azure's instance metadata Scheduled Events ({@code dd.gpu.scheduled-events.*}).
   *
   * @param url the endpoint, e.g. {@code
   *     http://169.254.169.254/metadata/scheduledevents?api-version=2020-07-01}; blank: not watched
   * @param instanceName this VM's name as events list it; blank: asked of the metadata service
   * @param pollInterval how often the endpoint is read (a Preempt comes about 30 s ahead)
   */
  public record ScheduledEvents(
      @DefaultValue("") String url,
      @DefaultValue("") String instanceName,
      @DefaultValue("2s") Duration pollInterval) {}
}
