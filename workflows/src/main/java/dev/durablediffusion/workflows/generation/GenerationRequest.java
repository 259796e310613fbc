package dev.durablediffusion.workflows.generation;

/**
 * What a client asked for, as received. Optional fields are null; {@link ValidateActivities} fills
 * the model's defaults and turns it into a {@link GenerationPlan}.
 */
public record GenerationRequest(
    String generationId,
    String tenantId,
    String prompt,
    String negativePrompt,
    String model,
    Integer width,
    Integer height,
    Integer steps,
    Double guidanceScale,
    String sampler,
    Long seed,
    Integer numImages,
    UpscaleSpec upscale,
    WebhookSpec webhook,
    String priority) {}
