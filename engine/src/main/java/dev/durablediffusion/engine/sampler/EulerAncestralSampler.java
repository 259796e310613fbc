package dev.durablediffusion.engine.sampler;

/**
 * Euler ancestral sampling (k-diffusion's {@code sample_euler_ancestral}, diffusers' {@code
 * EulerAncestralDiscreteScheduler}), on the schedule of {@link AbstractEulerSampler}: each step goes
 * from σ to σ_down by an Euler step of the probability-flow ODE, then adds fresh noise of standard
 * deviation σ_up, where σ_up = √(σ_next²·(σ²−σ_next²)/σ²) and σ_down = √(σ_next² − σ_up²)
 * (ancestral η = 1). Noise is drawn only when σ_up &gt; 0, so the last step, to σ = 0, draws none.
 */
public final class EulerAncestralSampler extends AbstractEulerSampler {

  public EulerAncestralSampler(SchedulerConfig config) {
    super(config);
  }

  @Override
  public String name() {
    return "euler_a";
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
    float[] out = new float[sample.length];
    for (int k = 0; k < out.length; k++) {
      double x = sample[k];
      double x0 = denoised(x, modelOutput[k], sigma);
      double derivative = (x - x0) / sigma;
      double y = x + derivative * dt;
      if (z != null) {
        y += up * z[k];
      }
      out[k] = (float) y;
    }
    return out;
  }
}
