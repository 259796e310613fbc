package dev.durablediffusion.workflows.generation;

import java.util.Map;

/**
 * A validated request with every default resolved and the seed fixed, plus the stage settings the
 * workers are configured with. Everything downstream works from this.
 */
public record GenerationPlan(
    String generationId,
    String tenantId,
    String prompt,
    String negativePrompt,
    String model,
    int width,
    int height,
    int steps,
    double guidanceScale,
    String sampler,
    long seed,
    int numImages,
    UpscaleSpec upscale,
    WebhookSpec webhook,
    String priority,
    Map<String, String> metadata,
    StageSettings settings) {}
