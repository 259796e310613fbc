package dev.durablediffusion.engine;

import java.util.List;

/**
 * @param seed the request's seed (drawn when none was given); image i used {@code seed + i}
 * @param forwardMillis time inside model forward calls (text encoder, UNet, VAE)
 * @param samplingMillis the denoise loop alone, forward calls included
 */
public record GenerationOutput(
    List<GeneratedImage> images,
    long seed,
    boolean promptTruncated,
    int steps,
    double totalMillis,
    double samplingMillis,
    double forwardMillis,
    double unetMillis) {}
