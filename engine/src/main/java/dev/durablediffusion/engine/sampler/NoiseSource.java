package dev.durablediffusion.engine.sampler;

/**
 * A source of standard normal noise (mean 0, variance 1) for the initial latent, img2img noising
 * and the stochastic steps of ancestral samplers.
 */
@FunctionalInterface
public interface NoiseSource {

  /**
   * Overwrites every element of {@code target} with a fresh standard normal draw.
   *
   * @param target the whole batch latent (B×C×h×w, row-major)
   */
  void fill(float[] target);
}
