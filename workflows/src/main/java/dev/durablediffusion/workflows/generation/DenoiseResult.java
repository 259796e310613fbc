package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param images the generated images in the work area
 * @param promptTruncated whether the prompt was longer than the model's text window
 * @param negativePromptTruncated the same for the negative prompt
 * @param worker the host queue of the worker that finished the denoise
 * @param resumedFromStep the step this attempt continued from, from an earlier attempt's
 *     checkpoint; null when it ran every step
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DenoiseResult(
    List<ImageRef> images,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    long executionMillis,
    String worker,
    Integer resumedFromStep) {}
