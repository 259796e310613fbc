package dev.durablediffusion.engine.sampler;

/**
 * Euler sampling of the probability-flow ODE (k-diffusion's {@code sample_euler}, diffusers' {@code
 * EulerDiscreteScheduler} without churn), on the schedule of {@link AbstractEulerSampler}: x ← x +
 * (x − x̂₀)/σ · (σ_next − σ). Deterministic; SD-Turbo's sampler (with "trailing" spacing).
 */
public final class EulerSampler extends AbstractEulerSampler {

  public EulerSampler(SchedulerConfig config) {
    super(config);
  }

  @Override
  public String name() {
    return "euler";
  }

  @Override
  public float[] step(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise) {
    checkIndex(stepIndex);
    checkSameLength(modelOutput, "modelOutput", sample, "sample");
    double sigma = sigmas[stepIndex];
    double dt = sigmas[stepIndex + 1] - sigma;
    float[] out = new float[sample.length];
    for (int k = 0; k < out.length; k++) {
      double x = sample[k];
      double derivative = (x - denoised(x, modelOutput[k], sigma)) / sigma;
      out[k] = (float) (x + derivative * dt);
    }
    return out;
  }
}
