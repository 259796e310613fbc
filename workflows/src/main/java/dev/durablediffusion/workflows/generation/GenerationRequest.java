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
    Double strength) {

  /** A request for this tenant's generation with every optional field unset. */
  public static Builder builder(String generationId, String tenantId) {
    return new Builder(generationId, tenantId);
  }

  /** Names each field, so a twenty-field request is never built by position. */
  public static final class Builder {

    private final String generationId;
    private final String tenantId;
    private String prompt;
    private String negativePrompt;
    private String model;
    private Integer width;
    private Integer height;
    private Integer steps;
    private Double guidanceScale;
    private String sampler;
    private Double eta;
    private Long seed;
    private Integer numImages;
    private UpscaleSpec upscale;
    private WebhookSpec webhook;
    private String priority;
    private Map<String, String> metadata;
    private long submittedAtMillis;
    private String initImageRef;
    private Double strength;

    private Builder(String generationId, String tenantId) {
      this.generationId = generationId;
      this.tenantId = tenantId;
    }

    public Builder prompt(String prompt) {
      this.prompt = prompt;
      return this;
    }

    public Builder negativePrompt(String negativePrompt) {
      this.negativePrompt = negativePrompt;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder width(Integer width) {
      this.width = width;
      return this;
    }

    public Builder height(Integer height) {
      this.height = height;
      return this;
    }

    public Builder steps(Integer steps) {
      this.steps = steps;
      return this;
    }

    public Builder guidanceScale(Double guidanceScale) {
      this.guidanceScale = guidanceScale;
      return this;
    }

    public Builder sampler(String sampler) {
      this.sampler = sampler;
      return this;
    }

    public Builder eta(Double eta) {
      this.eta = eta;
      return this;
    }

    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public Builder numImages(Integer numImages) {
      this.numImages = numImages;
      return this;
    }

    public Builder upscale(UpscaleSpec upscale) {
      this.upscale = upscale;
      return this;
    }

    public Builder webhook(WebhookSpec webhook) {
      this.webhook = webhook;
      return this;
    }

    public Builder priority(String priority) {
      this.priority = priority;
      return this;
    }

    public Builder metadata(Map<String, String> metadata) {
      this.metadata = metadata;
      return this;
    }

    public Builder submittedAtMillis(long submittedAtMillis) {
      this.submittedAtMillis = submittedAtMillis;
      return this;
    }

    public Builder initImageRef(String initImageRef) {
      this.initImageRef = initImageRef;
      return this;
    }

    public Builder strength(Double strength) {
      this.strength = strength;
      return this;
    }

    public GenerationRequest build() {
      return new GenerationRequest(
          generationId,
          tenantId,
          prompt,
          negativePrompt,
          model,
          width,
          height,
          steps,
          guidanceScale,
          sampler,
          eta,
          seed,
          numImages,
          upscale,
          webhook,
          priority,
          metadata,
          submittedAtMillis,
          initImageRef,
          strength);
    }
  }
}
