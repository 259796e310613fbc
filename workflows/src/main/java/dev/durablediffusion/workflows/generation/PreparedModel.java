package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A model made ready on one GPU host.
 *
 * @param hostTaskQueue the queue only that host polls, where the denoise must run
 * @param warm whether the model was already loaded
 * @param loadMillis time to fetch and load it (0 when warm)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PreparedModel(
    String hostTaskQueue,
    String modelDigest,
    boolean warm,
    long loadMillis,
    long executionMillis,
    String worker) {}
