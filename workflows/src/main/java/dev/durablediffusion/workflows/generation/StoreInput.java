package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * @param timingsMillis stage timings recorded in each output's provenance
 * @param gpuHosts every GPU host the denoise was prepared on, for the provenance
 * @param resumedFromStep the step the finishing denoise attempt continued from, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoreInput(
    GenerationPlan plan,
    List<ImageRef> images,
    String modelDigest,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    Map<String, Long> timingsMillis,
    List<String> gpuHosts,
    Integer resumedFromStep) {}
