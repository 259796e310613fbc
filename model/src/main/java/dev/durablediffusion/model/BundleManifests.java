package dev.durablediffusion.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses a manifest and checks that it describes a bundle the engine can run. */
public final class BundleManifests {

  public static final String MANIFEST_FILE = "manifest.json";

  private static final List<String> DIFFUSION_COMPONENTS =
      List.of("tokenizer", "text_encoder", "unet", "vae_decoder");
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private BundleManifests() {}

  /**
   * @param source where the bytes came from, named in every error
   * @throws InvalidBundleException when the JSON is malformed or the manifest is incomplete
   */
  public static BundleManifest parse(byte[] json, String source) {
    BundleManifest manifest;
    try {
      manifest = JSON.readValue(json, BundleManifest.class);
    } catch (JsonProcessingException e) {
      throw new InvalidBundleException(
          source, MANIFEST_FILE, "is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidBundleException(source, MANIFEST_FILE, "cannot be read: " + e.getMessage());
    }
    List<String> problems = problems(manifest);
    if (!problems.isEmpty()) {
      throw new InvalidBundleException(source, MANIFEST_FILE, String.join("; ", problems));
    }
    return manifest;
  }

  private static List<String> problems(BundleManifest m) {
    List<String> problems = new ArrayList<>();
    if (m.format() != 1) {
      problems.add("format " + m.format() + " is not supported (expected 1)");
    }
    if (m.name() == null || m.name().isBlank()) {
      problems.add("name is missing");
    }
    if (m.version() == null || m.version().isBlank()) {
      problems.add("version is missing");
    }
    if (m.components() == null) {
      problems.add("components are missing");
      return problems;
    }
    m.components()
        .forEach(
            (role, c) -> {
              if (c == null
                  || c.file() == null
                  || c.file().contains("/")
                  || c.file().contains("\\")) {
                problems.add("component " + role + " needs a plain file name");
              } else if (c.sha256() == null || !c.sha256().matches("[0-9a-f]{64}")) {
                problems.add("component " + role + " needs a lowercase hex sha256");
              }
            });
    if (m.isLatentDiffusion()) {
      DIFFUSION_COMPONENTS.stream()
          .filter(role -> !m.components().containsKey(role))
          .forEach(role -> problems.add("component " + role + " is missing"));
      if (m.text() == null || m.text().maxLength() < 1 || m.text().hiddenSize() < 1) {
        problems.add("text needs max_length and hidden_size");
      }
      if (m.latent() == null
          || m.latent().channels() < 1
          || m.latent().downscaleFactor() < 1
          || m.latent().scalingFactor() <= 0) {
        problems.add("latent needs channels, downscale_factor and a positive scaling_factor");
      }
      if (m.image() == null
          || m.image().allowedSizes() == null
          || m.image().allowedSizes().isEmpty()
          || m.image().allowedSizes().stream().anyMatch(s -> s.size() != 2)) {
        problems.add("image needs allowed_sizes as [width, height] pairs");
      }
      if (m.scheduler() == null) {
        problems.add("scheduler is missing");
      }
      if (m.defaults() == null) {
        problems.add("defaults are missing");
      }
    } else if (m.isUpscaler()) {
      if (!m.components().containsKey("model")) {
        problems.add("component model is missing");
      }
      if (m.upscale() == null || m.upscale().scale() < 2) {
        problems.add("upscale.scale must be at least 2");
      }
    } else {
      problems.add("kind '" + m.kind() + "' is unknown (expected latent-diffusion or upscaler)");
    }
    return problems;
  }
}
