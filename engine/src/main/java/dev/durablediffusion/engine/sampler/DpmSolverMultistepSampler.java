package dev.durablediffusion.engine.sampler;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++", multistep second order, data prediction) with
 * Karras sigmas — diffusers' {@code DPMSolverMultistepScheduler} with {@code
 * algorithm_type="dpmsolver++"}, {@code solver_order=2}, {@code solver_type="midpoint"}, {@code
 * use_karras_sigmas=True}, {@code lower_order_final=True}, {@code final_sigmas_type="zero"}.
 *
 * <p>Choices:
 *
 * <ul>
 *   <li>σ schedule: Karras et al. 2022 (eq. 5), ρ = 7, between σ_min = σ(t=0) and σ_max = σ(t=T−1)
 *       of the training schedule (σ_t = √((1−ᾱ_t)/ᾱ_t)), followed by a final σ = 0;
 *   <li>model timesteps: each σ mapped back to a fractional timestep by linear interpolation of t
 *       in log σ over the training table;
 *   <li>the sample lives in the variance-preserving form x = α·x₀ + σ_VP·ε with α = 1/√(σ²+1), σ_VP
 *       = σ·α, so {@code initNoiseSigma() = 1} and {@code scaleModelInput} is the identity;
 *   <li>the first step of a run (no previous prediction) and the last step (to σ = 0) are first
 *       order (DPM-Solver++(1), i.e. DDIM); the others use the 2M midpoint update D = x̂₀ᵢ + (x̂₀ᵢ
 *       − x̂₀ᵢ₋₁)/(2r), r = h_{i−1}/h_i.
 * </ul>
 *
 * Deliberate deviation: diffusers rounds the mapped-back timesteps to integers (and drops
 * duplicates); here they stay fractional, so the UNet sees exactly the noise level the solver
 * assumes. The schedule is computed in double.
 *
 * <p>Stateful: the previous data prediction is kept between calls to {@link #step}, which must be
 * called with consecutive step indices (a run may start at any index, e.g. for img2img).
 */
public final class DpmSolverMultistepSampler extends AbstractSampler {

  /** Karras et al.'s ρ. */
  public static final double RHO = 7.0;

  private final double[] logTrainSigmas;
  private double[] sigmas;
  private double[] previousX0;
  private int previousIndex = -1;

  public DpmSolverMultistepSampler(SchedulerConfig config) {
    super(config);
    logTrainSigmas = new double[alphasCumprod.length];
    for (int t = 0; t < logTrainSigmas.length; t++) {
      logTrainSigmas[t] = 0.5 * Math.log((1.0 - alphasCumprod[t]) / alphasCumprod[t]);
    }
  }

  @Override
  public String name() {
    return "dpmpp_2m_karras";
  }

  @Override
  public void setTimesteps(int steps) {
    checkSteps(steps);
    double sigmaMin = Math.exp(logTrainSigmas[0]);
    double sigmaMax = Math.exp(logTrainSigmas[logTrainSigmas.length - 1]);
    double maxInvRho = Math.pow(sigmaMax, 1.0 / RHO);
    double minInvRho = Math.pow(sigmaMin, 1.0 / RHO);
    double[] sg = new double[steps + 1];
    double[] ts = new double[steps];
    for (int i = 0; i < steps; i++) {
      double ramp = steps == 1 ? 0.0 : (double) i / (steps - 1);
      sg[i] = Math.pow(maxInvRho + ramp * (minInvRho - maxInvRho), RHO);
      ts[i] = sigmaToTimestep(sg[i]);
    }
    sg[steps] = 0.0;
    sigmas = sg;
    timesteps = ts;
    previousX0 = null;
    previousIndex = -1;
  }

  /** The fractional training timestep whose (log-interpolated) σ is {@code sigma}. */
  private double sigmaToTimestep(double sigma) {
    double ls = Math.log(sigma);
    double[] table = logTrainSigmas;
    int n = table.length;
    // largest lo with table[lo] <= ls (table increases with t), clamped to [0, n-2]
    int lo = 0;
    int hi = n - 1;
    if (ls < table[0]) {
      lo = 0;
    } else {
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (table[mid] <= ls) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
    }
    lo = Math.min(lo, n - 2);
    double w = (table[lo] - ls) / (table[lo] - table[lo + 1]);
    w = Math.max(0.0, Math.min(1.0, w));
    return lo + w;
  }

  /** The Karras σ of each step plus the final 0 ({@code steps + 1} values). Returns a copy. */
  public float[] sigmas() {
    numSteps();
    return floatCopy(sigmas);
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
    if (previousIndex >= 0 && stepIndex != previousIndex + 1) {
      throw new IllegalStateException(
          "stepIndex: expected "
              + (previousIndex + 1)
              + " after step "
              + previousIndex
              + ", got "
              + stepIndex
              + " (call setTimesteps to start a new run)");
    }
    if (previousX0 != null && previousX0.length != sample.length) {
      throw new IllegalArgumentException(
          "sample: length changed within a run: " + previousX0.length + " vs " + sample.length);
    }
    double s = sigmas[stepIndex];
    double next = sigmas[stepIndex + 1];
    double alphaS = 1.0 / Math.sqrt(s * s + 1.0);
    double sigmaS = s * alphaS;
    double alphaT = 1.0 / Math.sqrt(next * next + 1.0);
    double sigmaT = next * alphaT;
    // λ = log(α/σ_VP) = −log σ; h = λ_t − λ_s
    double h = Math.log(s) - Math.log(next); // +∞ when next == 0
    double ratio = sigmaT / sigmaS;
    double coef = -alphaT * Math.expm1(-h); // α_t·(1 − e^{−h})
    boolean firstOrder = previousX0 == null || stepIndex == timesteps.length - 1;
    double halfInvR = 0.0;
    if (!firstOrder) {
      double sPrev = sigmas[stepIndex - 1];
      double hPrev = Math.log(sPrev) - Math.log(s);
      halfInvR = 0.5 * h / hPrev;
    }
    boolean eps = epsilon();
    double[] x0s = new double[sample.length];
    float[] out = new float[sample.length];
    for (int k = 0; k < out.length; k++) {
      double x = sample[k];
      double m = modelOutput[k];
      double x0 = eps ? (x - sigmaS * m) / alphaS : alphaS * x - sigmaS * m;
      x0s[k] = x0;
      double d = firstOrder ? x0 : x0 + halfInvR * (x0 - previousX0[k]);
      out[k] = (float) (ratio * x + coef * d);
    }
    previousX0 = x0s;
    previousIndex = stepIndex;
    return out;
  }

  @Override
  public SamplerMemory memory() {
    return new SamplerMemory(previousIndex, previousX0);
  }

  @Override
  public void restore(SamplerMemory memory) {
    int n = numSteps();
    if (memory.lastStep() >= n - 1) {
      throw new IllegalArgumentException(
          "memory: last step " + memory.lastStep() + " leaves no step of " + n + " to take");
    }
    if ((memory.lastStep() < 0) != (memory.previousPrediction() == null)) {
      throw new IllegalArgumentException(
          "memory: a prediction is kept exactly when a step has been taken");
    }
    previousIndex = memory.lastStep();
    previousX0 = memory.previousPrediction();
  }

  @Override
  public float[] addNoise(float[] original, float[] noise, int stepIndex) {
    checkIndex(stepIndex);
    checkSameLength(original, "original", noise, "noise");
    double s = sigmas[stepIndex];
    double alpha = 1.0 / Math.sqrt(s * s + 1.0);
    double sigma = s * alpha;
    float[] out = new float[original.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) (alpha * original[k] + sigma * noise[k]);
    }
    return out;
  }
}
