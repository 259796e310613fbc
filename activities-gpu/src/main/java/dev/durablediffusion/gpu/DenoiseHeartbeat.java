package dev.durablediffusion.gpu;

/**
 * The details of a denoise heartbeat, which the server keeps with the attempt and shows operators.
 *
 * @param step the steps done
 * @param checkpointStep the step the checkpoint in storage resumes at, or -1 when none is
 */
public record DenoiseHeartbeat(int step, int checkpointStep) {}
