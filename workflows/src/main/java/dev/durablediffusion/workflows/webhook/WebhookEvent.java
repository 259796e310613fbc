package dev.durablediffusion.workflows.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.time.Duration;
import java.util.List;

/**
 * One event for one endpoint. The body is built from {@code type}, {@code createdAtMillis} and
 * {@code generation}, so every attempt sends the same bytes under the same {@code webhookId}.
 *
 * @param type {@code generation.started}, {@code generation.completed}, …
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookEvent(
    String webhookId,
    String tenantId,
    String url,
    String type,
    long createdAtMillis,
    GenerationStatus generation,
    List<Duration> retrySchedule) {}
