package dev.durablediffusion.workflows.generation;

import java.util.List;
import java.util.Map;

/**
 * @param timingsMillis stage timings recorded in each output's provenance
 */
public record StoreInput(
    GenerationPlan plan,
    List<ImageRef> images,
    String modelDigest,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    Map<String, Long> timingsMillis) {}
