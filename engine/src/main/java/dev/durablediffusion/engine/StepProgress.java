package dev.durablediffusion.engine;

import java.awt.image.BufferedImage;
import java.util.function.Supplier;

/**
 * Progress after one denoise step.
 *
 * @param preview decodes the first image's current latent; only valid during the callback, and only
 *     when the spec asked for previews (otherwise it returns null)
 */
public record StepProgress(
    int step, int total, long elapsedMillis, long etaMillis, Supplier<BufferedImage> preview) {}
