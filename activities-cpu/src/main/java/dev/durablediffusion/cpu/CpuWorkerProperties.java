package dev.durablediffusion.cpu;

import dev.durablediffusion.workflows.generation.TaskQueues;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The workflow and CPU worker ({@code dd.cpu.*}).
 *
 * @param interactiveGpuQueue shared GPU queue for {@code interactive} work
 * @param batchGpuQueue shared GPU queue for {@code batch} work
 * @param hostScheduleToStart how long a denoise waits on a host queue before the host counts as
 *     gone
 * @param denoiseHeartbeat heartbeat timeout of the denoise step
 * @param webhookRetrySchedule delays before each webhook attempt (Standard Webhooks' by default)
 * @param shutdownGrace how long shutdown waits for running activities
 * @param fairShareWindow generations that may hold a turn on a GPU queue at once, given out
 *     round-robin across tenants by a dispatcher workflow; 0 (the default) leaves the order to the
 *     Temporal server (task queue fairness on the tenant key), which is what KEDA's backlog scaling
 *     needs
 */
@Validated
@ConfigurationProperties(prefix = "dd.cpu")
public record CpuWorkerProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue(TaskQueues.GPU_INTERACTIVE) @NotBlank String interactiveGpuQueue,
    @DefaultValue(TaskQueues.GPU_BATCH) @NotBlank String batchGpuQueue,
    @DefaultValue("10m") Duration hostScheduleToStart,
    @DefaultValue("30s") Duration denoiseHeartbeat,
    @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"}) @NotEmpty
        List<Duration> webhookRetrySchedule,
    @DefaultValue("2m") Duration shutdownGrace,
    @DefaultValue("0") @PositiveOrZero int fairShareWindow) {}
