package dev.durablediffusion.engine;

import java.util.List;

/**
 * @param seed the request's seed (drawn when none was given); each image's own seed is in {@link
 *     GeneratedImage}
 * @param promptTruncated whether the prompt had more tokens than the model's text window
 * @param negativePromptTruncated the same for the negative prompt, which only guided generations
 *     use
 * @param steps the steps this call ran
 * @param resumedFromStep the step a checkpoint let this call start at, or null
 * @param resumeRefused why the checkpoint offered was not resumed, or null
 * @param forwardMillis time inside model forward calls (text encoder, UNet, VAE)
 * @param samplingMillis the denoise loop alone, forward calls included
 */
public record GenerationOutput(
    List<GeneratedImage> images,
    long seed,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    int steps,
    Integer resumedFromStep,
    String resumeRefused,
    double totalMillis,
    double samplingMillis,
    double forwardMillis,
    double unetMillis) {}
