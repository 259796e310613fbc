package dev.durablediffusion.api.generation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.durablediffusion.api.files.ImageLinks;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.workflows.generation.GenerationError;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.Progress;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A generation as clients see it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationResource(
    String id,
    String status,
    Instant createdAt,
    Instant finishedAt,
    ProgressView progress,
    Input input,
    List<Output> outputs,
    ErrorView error,
    Map<String, Long> timingsMs,
    Boolean promptTruncated,
    Boolean negativePromptTruncated,
    String modelDigest,
    List<String> gpuHosts,
    Integer resumedFromStep,
    Map<String, List<DeliveryAttempt>> webhookAttempts) {

  static GenerationResource of(
      GenerationStatus s,
      Map<String, List<DeliveryAttempt>> webhookAttempts,
      ImageLinks imageLinks) {
    String base = "/v1/generations/" + s.generationId();
    List<Output> outputs = Output.of(s.tenantId(), s.generationId(), s.outputs(), imageLinks);
    Progress p = s.progress();
    return new GenerationResource(
        s.generationId(),
        s.state().name().toLowerCase(),
        Instant.ofEpochMilli(s.createdAtMillis()),
        s.finishedAtMillis() == null ? null : Instant.ofEpochMilli(s.finishedAtMillis()),
        p == null
            ? null
            : new ProgressView(
                p.step(),
                p.total(),
                p.percent(),
                p.etaMillis(),
                p.previewRef() == null ? null : base + "/preview"),
        s.plan() == null ? null : Input.of(s.plan()),
        outputs,
        s.error() == null ? null : ErrorView.of(s.error()),
        s.timingsMillis(),
        s.promptTruncated(),
        s.negativePromptTruncated(),
        s.modelDigest(),
        s.gpuHosts() == null || s.gpuHosts().isEmpty() ? null : s.gpuHosts(),
        s.resumedFromStep(),
        webhookAttempts.isEmpty() ? null : webhookAttempts);
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ProgressView(int step, int total, int percent, long etaMs, String previewUrl) {}

  /** An output image; {@code url} is signed and works without an API key until it expires. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Output(String url, int width, int height, long seed, String sha256) {
    static List<Output> of(
        String tenant, String generationId, List<ImageRef> images, ImageLinks imageLinks) {
      List<Output> outputs = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        ImageRef image = images.get(i);
        outputs.add(
            new Output(
                imageLinks.url(tenant, generationId, i),
                image.width(),
                image.height(),
                image.seed(),
                image.sha256()));
      }
      return outputs;
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ErrorView(String type, String message, boolean retryable, List<FieldError> fields) {
    static ErrorView of(GenerationError e) {
      return new ErrorView(
          e.type(), e.message(), e.retryable(), e.fields().isEmpty() ? null : e.fields());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(
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
      Object upscale,
      Object webhookEvents,
      String priority,
      Map<String, String> metadata,
      String initImage,
      Double strength) {
    static Input of(GenerationPlan p) {
      return new Input(
          p.prompt(),
          p.negativePrompt(),
          p.model(),
          p.width(),
          p.height(),
          p.steps(),
          p.guidanceScale(),
          p.sampler(),
          p.eta(),
          p.seed(),
          p.numImages(),
          p.upscale(),
          p.webhook() == null ? null : p.webhook().events(),
          p.priority(),
          p.metadata(),
          p.initImageRef(),
          p.initImageRef() == null ? null : p.strength());
    }
  }
}
