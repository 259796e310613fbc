package dev.durablediffusion.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model bundle (see docs/model-bundles.md). Pure data: parsing and
 * checking live in {@link BundleManifests}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BundleManifest(
    int format,
    String name,
    String version,
    String kind,
    String dtype,
    Map<String, Component> components,
    Text text,
    Latent latent,
    Image image,
    Map<String, Object> scheduler,
    Defaults defaults,
    Upscale upscale) {

  public static final String LATENT_DIFFUSION = "latent-diffusion";
  public static final String UPSCALER = "upscaler";

  public boolean isLatentDiffusion() {
    return LATENT_DIFFUSION.equals(kind);
  }

  public boolean isUpscaler() {
    return UPSCALER.equals(kind);
  }

  public boolean allowsSize(int width, int height) {
    return image.allowedSizes().stream().anyMatch(s -> s.get(0) == width && s.get(1) == height);
  }

  public boolean hasComponent(String component) {
    return components.containsKey(component);
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Component(String file, String sha256, long bytes) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Text(
      @JsonProperty("max_length") int maxLength,
      @JsonProperty("hidden_size") int hiddenSize,
      @JsonProperty("pad_token_id") long padTokenId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Latent(
      int channels,
      @JsonProperty("downscale_factor") int downscaleFactor,
      @JsonProperty("scaling_factor") double scalingFactor) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Image(
      @JsonProperty("default_width") int defaultWidth,
      @JsonProperty("default_height") int defaultHeight,
      @JsonProperty("allowed_sizes") List<List<Integer>> allowedSizes) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Defaults(
      int steps, @JsonProperty("guidance_scale") double guidanceScale, String sampler) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Upscale(int scale) {}
}
