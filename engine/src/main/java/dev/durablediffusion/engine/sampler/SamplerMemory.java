package dev.durablediffusion.engine.sampler;

/**
 * What a sampler carries from one step to the next besides the sample: with the sample and the
 * noise generators' state it is all a denoise needs to continue after {@code lastStep}.
 *
 * @param lastStep the index of the last step taken, or -1 before the first
 * @param previousPrediction the data prediction of that step, for multistep solvers; null for the
 *     samplers that keep none
 */
public record SamplerMemory(int lastStep, double[] previousPrediction) {

  /** A sampler that has taken no step yet, or keeps nothing between steps. */
  public static final SamplerMemory NONE = new SamplerMemory(-1, null);

  public SamplerMemory {
    if (lastStep < -1) {
      throw new IllegalArgumentException("lastStep: must be -1 or a step index, got " + lastStep);
    }
  }
}
