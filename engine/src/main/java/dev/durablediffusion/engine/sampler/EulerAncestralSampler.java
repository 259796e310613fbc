package dev.durablediffusion.engine.sampler;

/**
 * Euler ancestral sampling (k-diffusion's {@code sample_euler_ancestral}, diffusers' {@code
 * EulerAncestralDiscreteScheduler}) in the variance-exploding form x = x₀ + σ·ε with σ_t =
 * √((1−ᾱ_t)/ᾱ_t).
 *
 * <p>As diffusers computes it from the same config:
 *
 * <ul>
 *   <li>timestep spacing (default "linspace": {@code steps} evenly spaced fractional timesteps
 *       from T−1 down to 0; "leading" and "trailing" as in {@link DdimSampler}); σ at each is
 *       linearly interpolated in t from the training σ table; a final σ = 0 is appended;
 *   <li>{@code initNoiseSigma()} is the largest σ for "linspace" and "trailing", √(σ²+1) of it for
 *       "leading"; the UNet input is x / √(σ²+1);
 *   <li>each step goes from σ to σ_down by an Euler step of the probability-flow ODE, then adds
 *       fresh noise of standard deviation σ_up, where σ_up = √(σ_next²·(σ²−σ_next²)/σ²) and σ_down
 *       = √(σ_next² − σ_up²) (ancestral η = 1).
 * </ul>
 *
 * Deliberate deviations: for {@code steps = 1} the single timestep is T−1 (a one-point linspace
 * would be timestep 0, i.e. pure noise treated as almost clean); noise is drawn only when σ_up &gt;
 * 0 (so the last step, to σ = 0, draws none); the schedule is computed in double.
 */
public final class EulerAncestralSampler extends AbstractSampler {

  private final double[] trainSigmas;
  private double[] sigmas;

  public EulerAncestralSampler(SchedulerConfig config) {
    super(config);
    trainSigmas = new double[alphasCumprod.length];
    for (int t = 0; t < trainSigmas.length; t++) {
      trainSigmas[t] = Math.sqrt((1.0 - alphasCumprod[t]) / alphasCumprod[t]);
    }
  }

  @Override
  public String name() {
    return "euler_a";
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
    int n = numSteps();
    float[] out = new float[n + 1];
    for (int i = 0; i <= n; i++) {
      out[i] = (float) sigmas[i];
    }
    return out;
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

  @Override
  public float[] step(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise) {
    checkIndex(stepIndex);
    checkSameLength(modelOutput, "modelOutput", sample, "sample");
    double sigma = sigmas[stepIndex];
    double next = sigmas[stepIndex + 1];
    double up =
        Math.sqrt(Math.max(next * next * (sigma * sigma - next * next) / (sigma * sigma), 0.0));
    double down = Math.sqrt(Math.max(next * next - up * up, 0.0));
    double dt = down - sigma;
    float[] z = up > 0 ? draw(noise, sample.length) : null;
    boolean eps = epsilon();
    double s2 = sigma * sigma + 1.0;
    double vX = 1.0 / s2;
    double vM = -sigma / Math.sqrt(s2);
    float[] out = new float[sample.length];
    for (int k = 0; k < out.length; k++) {
      double x = sample[k];
      double m = modelOutput[k];
      double x0 = eps ? x - sigma * m : vX * x + vM * m;
      double derivative = (x - x0) / sigma;
      double y = x + derivative * dt;
      if (z != null) {
        y += up * z[k];
      }
      out[k] = (float) y;
    }
    return out;
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
