package dev.durablediffusion.cpu.store;

import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import java.util.List;
import java.util.Map;

/** What produced a generation's images, stored beside them as {@code provenance.json}. */
record Provenance(
    String generationId,
    String prompt,
    String negativePrompt,
    String model,
    String modelDigest,
    String sampler,
    int steps,
    double guidanceScale,
    long seed,
    int width,
    int height,
    UpscaleSpec upscale,
    boolean promptTruncated,
    Map<String, Long> timingsMillis,
    List<ImageRef> images) {}
