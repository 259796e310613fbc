package dev.durablediffusion.api.generation;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import dev.durablediffusion.workflows.generation.WebhookSpec;
import java.util.List;
import java.util.Map;

/** The JSON body of {@code POST /v1/generations}; every field but the prompt is optional. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateGenerationBody(
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
    Upscale upscale,
    Webhook webhook,
    String priority,
    Map<String, String> metadata,
    InitImage initImage,
    Double strength) {

  /** The workflow's request for this body, as received: the model's defaults come later. */
  GenerationRequest toRequest(
      String generationId, String tenant, long submittedAtMillis, String initImageRef) {
    return GenerationRequest.builder(generationId, tenant)
        .prompt(prompt)
        .negativePrompt(negativePrompt)
        .model(model)
        .width(width)
        .height(height)
        .steps(steps)
        .guidanceScale(guidanceScale)
        .sampler(sampler)
        .eta(eta)
        .seed(seed)
        .numImages(numImages)
        .upscale(
            upscale == null
                ? null
                : new UpscaleSpec(upscale.factor() == null ? 0 : upscale.factor(), upscale.method()))
        .webhook(webhook == null ? null : new WebhookSpec(webhook.url(), webhook.events()))
        .priority(priority)
        .metadata(metadata)
        .submittedAtMillis(submittedAtMillis)
        .initImageRef(initImageRef)
        .strength(strength)
        .build();
  }

  /**
   * img2img's start image: one of the tenant's outputs ({@code generation_id} and {@code index}) or
   * an upload ({@code data}, a base64 PNG or JPEG within the 64 KiB body).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record InitImage(String generationId, Integer index, String data) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Upscale(Integer factor, String method) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Webhook(String url, List<String> events) {}
}
