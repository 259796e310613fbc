package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What a client asked for, as received. Optional fields are null; {@link ValidateActivities} fills
 * the model's defaults and turns it into a {@link GenerationPlan}.
 *
 * @param eta how much fresh noise each DDIM step adds, [0, 1]; only the ddim sampler takes one
 * @param metadata the client's own labels, echoed back and never interpreted
 * @param submittedAtMillis when the API accepted it; orders the tenant's generation index
 * @param initImageRef img2img: the start image in storage (an output of the tenant's, or an upload
 *     the API stored in the generation's work area); null for text-to-image
 * @param strength img2img: how much of the schedule runs over the start image, (0, 1]
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
    Double eta,
    Long seed,
    Integer numImages,
    UpscaleSpec upscale,
    WebhookSpec webhook,
    String priority,
    Map<String, String> metadata,
    long submittedAtMillis,
    String initImageRef,
    Double strength) {}
