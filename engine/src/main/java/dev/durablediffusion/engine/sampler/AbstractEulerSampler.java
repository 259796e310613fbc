package dev.durablediffusion.engine.sampler;

/**
 * What the Euler samplers share, in the variance-exploding form x = x₀ + σ·ε with σ_t =
 * √((1−ᾱ_t)/ᾱ_t), as diffusers' {@code EulerDiscreteScheduler} and {@code
 * EulerAncestralDiscreteScheduler} compute it from the same config:
 *
 * <ul>
 *   <li>timestep spacing (default "linspace": {@code steps} evenly spaced fractional timesteps
 *       from T−1 down to 0; "leading" and "trailing" as in {@link DdimSampler}); σ at each is
 *       linearly interpolated in t from the training σ table; a final σ = 0 is appended;
 *   <li>{@code initNoiseSigma()} is the largest σ for "linspace" and "trailing", √(σ²+1) of it for
 *       "leading"; the UNet input is x / √(σ²+1).
 * </ul>
 *
 * Deliberate deviations: for {@code steps = 1} the single timestep is T−1 (a one-point linspace
 * would be timestep 0, i.e. pure noise treated as almost clean); the schedule is computed in
 * double.
 */
abstract class AbstractEulerSampler extends AbstractSampler {

  private final double[] trainSigmas;
  protected double[] sigmas;

  AbstractEulerSampler(SchedulerConfig config) {
    super(config);
    trainSigmas = new double[alphasCumprod.length];
    for (int t = 0; t < trainSigmas.length; t++) {
      trainSigmas[t] = Math.sqrt((1.0 - alphasCumprod[t]) / alphasCumprod[t]);
    }
  }

  @Override
  public void setTimesteps(int steps) {
    checkSteps(steps);
    double[] ts = spacedTimesteps(steps, SchedulerConfig.TimestepSpacing.LINSPACE, false);
    double[] sg = new double[steps + 1];
    for (int i = 0; i < steps; i++) {
      sg[i] = interpolate(ts[i]);
    }
    sg[steps] = 0.0;
    timesteps = ts;
    sigmas = sg;
  }

  private double interpolate(double t) {
    int lo = (int) Math.floor(t);
    if (lo >= trainSigmas.length - 1) {
      return trainSigmas[trainSigmas.length - 1];
    }
    double w = t - lo;
    return (1.0 - w) * trainSigmas[lo] + w * trainSigmas[lo + 1];
  }

  /** The σ of each step plus the final 0 ({@code steps + 1} values). Returns a copy. */
  public float[] sigmas() {
    numSteps();
    return floatCopy(sigmas);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException before {@link #setTimesteps}
   */
  @Override
  public float initNoiseSigma() {
    numSteps();
    double max = 0;
    for (double s : sigmas) {
      max = Math.max(max, s);
    }
    boolean leading =
        config.spacingOr(SchedulerConfig.TimestepSpacing.LINSPACE)
            == SchedulerConfig.TimestepSpacing.LEADING;
    return (float) (leading ? Math.sqrt(max * max + 1.0) : max);
  }

  @Override
  public float[] scaleModelInput(float[] sample, int stepIndex) {
    checkIndex(stepIndex);
    double sigma = sigmas[stepIndex];
    double c = 1.0 / Math.sqrt(sigma * sigma + 1.0);
    float[] out = new float[sample.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (sample[k] * c);
    }
    return out;
  }

  /** The x₀ the model's output implies at step σ, for ε- or v-prediction. */
  protected final double denoised(double x, double modelOutput, double sigma) {
    if (epsilon()) {
      return x - sigma * modelOutput;
    }
    double s2 = sigma * sigma + 1.0;
    return (1.0 / s2) * x + (-sigma / Math.sqrt(s2)) * modelOutput;
  }

  @Override
  public float[] addNoise(float[] original, float[] noise, int stepIndex) {
    checkIndex(stepIndex);
    checkSameLength(original, "original", noise, "noise");
    double sigma = sigmas[stepIndex];
    float[] out = new float[original.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (original[k] + sigma * noise[k]);
    }
    return out;
  }
}
