package dev.durablediffusion.engine.sampler;

/**
 * DDIM (Song et al. 2020, "Denoising Diffusion Implicit Models", eq. 12), with η controlling the
 * stochasticity (η = 0: deterministic DDIM, η = 1: DDPM-like ancestral noise).
 *
 * <p>As diffusers' {@code DDIMScheduler} computes it from the same config:
 *
 * <ul>
 *   <li>timestep spacing (default "leading"), with r = T / steps in integer division: "leading"
 *       {@code (steps−1−i)·r + steps_offset}; "trailing" {@code round(T − i·T/steps) − 1};
 *       "linspace" {@code round((steps−1−i)·(T−1)/(steps−1))} (round half to even); whatever the
 *       spacing, the step from t goes to t − r;
 *   <li>the last step goes to ᾱ₀, or to ᾱ = 1 with {@code set_alpha_to_one};
 *   <li>with {@code clip_sample} the x₀ prediction is clipped to ±{@code clip_sample_range} (the
 *       ε used for the direction stays the model's); {@code initNoiseSigma() = 1}; {@code
 *       scaleModelInput} is the identity.
 * </ul>
 *
 * Deliberate deviations: for {@code steps = 1} with "leading" or "linspace" the single timestep is
 * T−1 (diffusers' would denoise pure noise as if it were almost clean); "trailing" gives exactly
 * {@code steps} timesteps, where diffusers' floating-point {@code arange} adds a timestep −1 for a
 * few step counts (61, 103, 121, 122 of 1000). "Leading" spacing with {@code steps_offset} must
 * stay inside the schedule, so {@code (steps−1)·r + steps_offset ≤ T−1} is required.
 */
public final class DdimSampler extends AbstractSampler {

  private final double eta;
  private final double finalAlphaCumprod;
  private int stepRatio;

  /**
   * @param eta DDIM's η in [0, 1]; 0 is deterministic
   * @throws IllegalArgumentException naming {@code eta} when it is outside [0, 1]
   */
  public DdimSampler(SchedulerConfig config, double eta) {
    super(config);
    if (!(eta >= 0 && eta <= 1)) {
      throw new IllegalArgumentException("eta: must be in [0, 1], got " + eta);
    }
    this.eta = eta;
    this.finalAlphaCumprod = config.setAlphaToOne() ? 1.0 : alphasCumprod[0];
  }

  /** Deterministic DDIM (η = 0). */
  public DdimSampler(SchedulerConfig config) {
    this(config, 0.0);
  }

  /** DDIM's η. */
  public double eta() {
    return eta;
  }

  @Override
  public String name() {
    return "ddim";
  }

  @Override
  public void setTimesteps(int steps) {
    checkSteps(steps);
    stepRatio = config.numTrainTimesteps() / steps;
    timesteps = spacedTimesteps(steps, SchedulerConfig.TimestepSpacing.LEADING, true);
  }

  @Override
  public float initNoiseSigma() {
    return 1.0f;
  }

  @Override
  public float[] scaleModelInput(float[] sample, int stepIndex) {
    checkIndex(stepIndex);
    return sample;
  }

  @Override
  public float[] step(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise) {
    checkIndex(stepIndex);
    checkSameLength(modelOutput, "modelOutput", sample, "sample");
    int t = (int) timesteps[stepIndex];
    int prev = t - stepRatio;
    double aT = alphasCumprod[t];
    double aPrev = prev >= 0 ? alphasCumprod[prev] : finalAlphaCumprod;
    double sqrtA = Math.sqrt(aT);
    double sqrtB = Math.sqrt(1.0 - aT);
    double variance = (1.0 - aPrev) / (1.0 - aT) * (1.0 - aT / aPrev);
    double std = eta * Math.sqrt(Math.max(variance, 0.0));
    double dirCoef = Math.sqrt(Math.max(1.0 - aPrev - std * std, 0.0));
    double sqrtAPrev = Math.sqrt(aPrev);
    float[] z = std > 0 ? draw(noise, sample.length) : null;
    boolean eps = epsilon();
    float[] out = new float[sample.length];
    for (int k = 0; k < out.length; k++) {
      double x = sample[k];
      double m = modelOutput[k];
      double x0;
      double e;
      if (eps) {
        x0 = (x - sqrtB * m) / sqrtA;
        e = m;
      } else {
        x0 = sqrtA * x - sqrtB * m;
        e = sqrtA * m + sqrtB * x;
      }
      if (config.clipSample()) {
        x0 = Math.max(-config.clipSampleRange(), Math.min(config.clipSampleRange(), x0));
      }
      double next = sqrtAPrev * x0 + dirCoef * e;
      if (z != null) {
        next += std * z[k];
      }
      out[k] = (float) next;
    }
    return out;
  }

  @Override
  public float[] addNoise(float[] original, float[] noise, int stepIndex) {
    checkIndex(stepIndex);
    checkSameLength(original, "original", noise, "noise");
    double aT = alphasCumprod[(int) timesteps[stepIndex]];
    double a = Math.sqrt(aT);
    double b = Math.sqrt(1.0 - aT);
    float[] out = new float[original.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (a * original[k] + b * noise[k]);
    }
    return out;
  }
}
