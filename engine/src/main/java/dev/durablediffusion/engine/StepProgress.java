package dev.durablediffusion.engine;

import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import java.awt.image.BufferedImage;
import java.util.function.Supplier;

/**
 * Progress after one denoise step.
 *
 * @param preview decodes the first image's current latent; only valid during the callback, and only
 *     when the spec asked for previews (otherwise it returns null)
 * @param checkpoint the state to continue from after this step, in another process if need be
 */
public record StepProgress(
    int step,
    int total,
    long elapsedMillis,
    long etaMillis,
    Supplier<BufferedImage> preview,
    DenoiseCheckpoint checkpoint) {}
