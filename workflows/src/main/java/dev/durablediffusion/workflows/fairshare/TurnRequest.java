package dev.durablediffusion.workflows.fairshare;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A generation asking for its turn on a GPU queue.
 *
 * @param gpuQueue the shared GPU queue the generation will use
 * @param window how many generations may hold a turn on that queue at once
 * @param submittedAtMillis when the client submitted the generation: a tenant's waiting requests
 *     are served in this order, whatever order they reach the dispatcher in
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TurnRequest(
    String gpuQueue, String generationId, String tenantId, int window, long submittedAtMillis) {}
