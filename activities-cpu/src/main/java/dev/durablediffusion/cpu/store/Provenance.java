package dev.durablediffusion.cpu.store;

import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import java.util.List;
import java.util.Map;

/**
 * What produced a generation's images, stored beside them as {@code provenance.json}.
 *
 * @param initImage img2img's start image, null for text-to-image
 * @param gpuHosts every GPU host the denoise was prepared on, in order (null for generations
 *     stored before hosts were kept)
 * @param resumedFromStep the step the finishing denoise continued from, from a checkpoint; null
 *     when it ran every step
 * @param traceId the generation's OpenTelemetry trace, null when it was not traced
 */
record Provenance(
    String generationId,
    String prompt,
    String negativePrompt,
    String model,
    String modelDigest,
    String sampler,
    double eta,
    int steps,
    double guidanceScale,
    long seed,
    int width,
    int height,
    UpscaleSpec upscale,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    Map<String, Long> timingsMillis,
    List<ImageRef> images,
    InitImage initImage,
    List<String> gpuHosts,
    Integer resumedFromStep,
    String traceId) {

  /**
   * The start image by content: an upload is deleted with the work area, so its digest is what
   * stays.
   */
  record InitImage(String ref, String sha256, double strength) {}
}
