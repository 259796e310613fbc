package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * A validated request with every default resolved and the seed fixed, plus the stage settings the
 * workers are configured with. Everything downstream works from this.
 *
 * @param eta DDIM's eta; 0 for every other sampler
 * @param initImageRef img2img's start image, null for text-to-image
 * @param strength img2img's strength; unused without a start image
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
    double eta,
    long seed,
    int numImages,
    UpscaleSpec upscale,
    WebhookSpec webhook,
    String priority,
    Map<String, String> metadata,
    String initImageRef,
    double strength,
    StageSettings settings) {}
