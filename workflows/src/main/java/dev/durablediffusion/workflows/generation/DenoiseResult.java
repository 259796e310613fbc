package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * @param images the generated images in the work area
 * @param promptTruncated whether the prompt was longer than the model's text window
 * @param negativePromptTruncated the same for the negative prompt
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DenoiseResult(
    List<ImageRef> images,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    long executionMillis,
    String worker) {}
