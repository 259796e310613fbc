package dev.durablediffusion.engine;

import java.awt.image.BufferedImage;

/**
 * What to generate. {@code seed} null draws one; {@code initImage} non-null makes it img2img with
 * the given {@code strength} (0 keeps the image, 1 ignores it). {@code initialLatents} non-null
 * replaces the seeded start noise of a text-to-image run with these unit-variance values (the whole
 * batch, B×C×h×w), scaled by the sampler's initial σ as diffusers scales a pipeline's {@code
 * latents} argument; the seeds still drive the noise of stochastic steps.
 */
public record GenerationSpec(
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int steps,
    double guidanceScale,
    String sampler,
    double eta,
    Long seed,
    int numImages,
    BufferedImage initImage,
    double strength,
    boolean previews,
    float[] initialLatents) {

  /** A text-to-image spec with eta 0 and no previews. */
  public static GenerationSpec textToImage(
      String prompt,
      String negativePrompt,
      int width,
      int height,
      int steps,
      double guidanceScale,
      String sampler,
      Long seed,
      int numImages) {
    return new GenerationSpec(
        prompt,
        negativePrompt,
        width,
        height,
        steps,
        guidanceScale,
        sampler,
        0.0,
        seed,
        numImages,
        null,
        1.0,
        false,
        null);
  }

  public GenerationSpec withPreviews(boolean enabled) {
    return new GenerationSpec(
        prompt,
        negativePrompt,
        width,
        height,
        steps,
        guidanceScale,
        sampler,
        eta,
        seed,
        numImages,
        initImage,
        strength,
        enabled,
        initialLatents);
  }

  public GenerationSpec withEta(double ddimEta) {
    return new GenerationSpec(
        prompt,
        negativePrompt,
        width,
        height,
        steps,
        guidanceScale,
        sampler,
        ddimEta,
        seed,
        numImages,
        initImage,
        strength,
        previews,
        initialLatents);
  }

  public GenerationSpec withInitImage(BufferedImage image, double imageStrength) {
    return new GenerationSpec(
        prompt,
        negativePrompt,
        width,
        height,
        steps,
        guidanceScale,
        sampler,
        eta,
        seed,
        numImages,
        image,
        imageStrength,
        previews,
        initialLatents);
  }

  /** Starts from these latents instead of the seeded noise (see the class comment). */
  public GenerationSpec withInitialLatents(float[] latents) {
    return new GenerationSpec(
        prompt,
        negativePrompt,
        width,
        height,
        steps,
        guidanceScale,
        sampler,
        eta,
        seed,
        numImages,
        initImage,
        strength,
        previews,
        latents);
  }
}
