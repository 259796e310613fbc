package dev.durablediffusion.workflows.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * @param statusCode the receiver's HTTP status, null when no response came
 * @param retryAfterSeconds the receiver's {@code Retry-After}, when it sent one
 * @param permanent no later attempt can succeed (410 Gone, or a target the SSRF guard refuses)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeliveryAttempt(
    int attempt,
    long atMillis,
    Integer statusCode,
    String error,
    Long retryAfterSeconds,
    boolean delivered,
    boolean permanent) {}
