package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.List;

/**
 * Durations that operators tune per deployment (tests shorten them). They travel in the plan, so
 * the workflow reads them from history instead of from configuration.
 *
 * @param gpuTaskQueue the shared GPU queue for the request's priority class
 * @param hostScheduleToStart how long a denoise may wait on the host queue before the workflow
 *     assumes the host is gone and prepares the model elsewhere
 * @param denoiseHeartbeat heartbeat timeout of the denoise step
 * @param webhookRetrySchedule delays between webhook delivery attempts
 * @param fairShareWindow generations that may hold a turn on the GPU queue at once, handed out
 *     round-robin across tenants by the queue's fair-share dispatcher; 0: no dispatcher, the
 *     Temporal server's own order (and its fairness keys) decide
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StageSettings(
    String gpuTaskQueue,
    Duration hostScheduleToStart,
    Duration denoiseHeartbeat,
    List<Duration> webhookRetrySchedule,
    int fairShareWindow) {}
