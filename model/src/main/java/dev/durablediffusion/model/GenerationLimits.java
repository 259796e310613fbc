package dev.durablediffusion.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The limits every generation obeys, checked against the model's manifest. The CPU validation step
 * and the engine apply the same rules.
 */
public final class GenerationLimits {

  public static final int MIN_STEPS = 1;
  public static final int MAX_STEPS = 150;
  public static final double MIN_GUIDANCE = 0;
  public static final double MAX_GUIDANCE = 30;
  public static final int MAX_IMAGES = 4;
  public static final int MAX_PROMPT_CHARS = 2000;
  public static final long MAX_SEED = (1L << 53) - 1;
  public static final Set<String> SAMPLERS = Set.of("ddim", "euler", "euler_a", "dpmpp_2m_karras");

  private GenerationLimits() {}

  /** Every problem with the parameters, empty when they are all acceptable. */
  public static List<FieldError> check(
      BundleManifest manifest,
      String prompt,
      String negativePrompt,
      int width,
      int height,
      int steps,
      double guidanceScale,
      String sampler,
      double eta,
      Long seed,
      int numImages) {
    List<FieldError> errors = new ArrayList<>();
    if (!manifest.isLatentDiffusion()) {
      errors.add(
          new FieldError(
              "model", "'" + manifest.name() + "' is an " + manifest.kind() + ", not a generator"));
      return errors;
    }
    boolean noPrompt = prompt == null || prompt.isBlank();
    boolean noNegative = negativePrompt == null || negativePrompt.isBlank();
    if (noPrompt && noNegative) {
      errors.add(new FieldError("prompt", "must not be empty when there is no negative_prompt"));
    }
    if (prompt != null && prompt.length() > MAX_PROMPT_CHARS) {
      errors.add(new FieldError("prompt", "must be at most " + MAX_PROMPT_CHARS + " characters"));
    }
    if (negativePrompt != null && negativePrompt.length() > MAX_PROMPT_CHARS) {
      errors.add(
          new FieldError("negative_prompt", "must be at most " + MAX_PROMPT_CHARS + " characters"));
    }
    if (!manifest.allowsSize(width, height)) {
      String field =
          manifest.image().allowedSizes().stream().anyMatch(s -> s.get(0) == width)
              ? "height"
              : "width";
      errors.add(
          new FieldError(
              field,
              width
                  + "x"
                  + height
                  + " is not allowed by model "
                  + manifest.name()
                  + " (allowed: "
                  + allowedSizes(manifest)
                  + ")"));
    }
    if (steps < MIN_STEPS || steps > MAX_STEPS) {
      errors.add(new FieldError("steps", "must be between " + MIN_STEPS + " and " + MAX_STEPS));
    }
    if (!(guidanceScale >= MIN_GUIDANCE && guidanceScale <= MAX_GUIDANCE)) {
      errors.add(new FieldError("guidance_scale", "must be between 0 and 30"));
    }
    if (!SAMPLERS.contains(sampler)) {
      errors.add(
          new FieldError(
              "sampler",
              "'" + sampler + "' is unknown (known: ddim, euler, euler_a, dpmpp_2m_karras)"));
    }
    if (!(eta >= 0 && eta <= 1)) {
      errors.add(new FieldError("eta", "must be between 0 and 1"));
    } else if (eta != 0 && !"ddim".equals(sampler)) {
      errors.add(new FieldError("eta", "applies only to the ddim sampler"));
    }
    if (seed != null && (seed < 0 || seed > MAX_SEED)) {
      errors.add(new FieldError("seed", "must be between 0 and " + MAX_SEED));
    }
    if (numImages < 1 || numImages > MAX_IMAGES) {
      errors.add(new FieldError("num_images", "must be between 1 and " + MAX_IMAGES));
    }
    return errors;
  }

  private static String allowedSizes(BundleManifest manifest) {
    return String.join(
        ", ",
        manifest.image().allowedSizes().stream().map(s -> s.get(0) + "x" + s.get(1)).toList());
  }
}
