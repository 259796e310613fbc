package dev.durablediffusion.engine.sampler;

import java.util.Objects;

/** Shared bookkeeping of the samplers: configuration, timestep state and argument checks. */
abstract class AbstractSampler implements Sampler {

  protected final SchedulerConfig config;

  /** ᾱ_t of the training schedule, t = 0 … T−1. */
  protected final double[] alphasCumprod;

  /** The model timesteps of the current run, or {@code null} before {@link #setTimesteps}. */
  protected double[] timesteps;

  AbstractSampler(SchedulerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.alphasCumprod = config.alphasCumprod();
  }

  /** The schedule this sampler was built from. */
  public SchedulerConfig config() {
    return config;
  }

  protected final void checkSteps(int steps) {
    if (steps < 1 || steps > config.numTrainTimesteps()) {
      throw new IllegalArgumentException(
          "steps: must be in [1, " + config.numTrainTimesteps() + "], got " + steps);
    }
  }

  protected final int numSteps() {
    if (timesteps == null) {
      throw new IllegalStateException(name() + ": setTimesteps has not been called");
    }
    return timesteps.length;
  }

  @Override
  public float[] timesteps() {
    numSteps();
    return floatCopy(timesteps);
  }

  /** The values rounded to float, in a new array. */
  protected static float[] floatCopy(double[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values[i];
    }
    return out;
  }

  /**
   * The timesteps of a run of {@code steps} under the config's spacing (or {@code
   * samplerDefault}), from the noisiest down, as diffusers places them. A single step is always
   * timestep T−1.
   *
   * @param roundLinspace whether "linspace" timesteps are rounded to integers (DDIM) or stay
   *     fractional (Euler)
   * @throws IllegalArgumentException when "leading" with {@code steps_offset} leaves the schedule
   */
  protected final double[] spacedTimesteps(
      int steps, SchedulerConfig.TimestepSpacing samplerDefault, boolean roundLinspace) {
    int t = config.numTrainTimesteps();
    double[] ts = new double[steps];
    if (steps == 1) {
      ts[0] = t - 1;
      return ts;
    }
    switch (config.spacingOr(samplerDefault)) {
      case LEADING -> {
        int ratio = t / steps;
        for (int i = 0; i < steps; i++) {
          ts[i] = (double) (steps - 1 - i) * ratio + config.stepsOffset();
        }
        if (ts[0] > t - 1) {
          throw new IllegalArgumentException(
              "steps: "
                  + steps
                  + " steps with steps_offset "
                  + config.stepsOffset()
                  + " reach timestep "
                  + (long) ts[0]
                  + ", beyond num_train_timesteps - 1 = "
                  + (t - 1));
        }
      }
      case TRAILING -> {
        double ratio = (double) t / steps;
        for (int i = 0; i < steps; i++) {
          ts[i] = Math.rint(t - i * ratio) - 1;
        }
      }
      case LINSPACE -> {
        for (int i = 0; i < steps; i++) {
          double value = (t - 1.0) * (steps - 1 - i) / (steps - 1);
          ts[i] = roundLinspace ? Math.rint(value) : value;
        }
      }
    }
    return ts;
  }

  protected final void checkIndex(int stepIndex) {
    int n = numSteps();
    if (stepIndex < 0 || stepIndex >= n) {
      throw new IndexOutOfBoundsException("stepIndex: must be in [0, " + n + "), got " + stepIndex);
    }
  }

  protected static void checkSameLength(float[] a, String aName, float[] b, String bName) {
    Objects.requireNonNull(a, aName);
    Objects.requireNonNull(b, bName);
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          aName + " and " + bName + " differ in length: " + a.length + " vs " + b.length);
    }
  }

  /** Draws a fresh noise vector of the given length. */
  protected final float[] draw(NoiseSource noise, int length) {
    if (noise == null) {
      throw new IllegalArgumentException(
          name() + ": this step is stochastic and needs a NoiseSource");
    }
    float[] z = new float[length];
    noise.fill(z);
    return z;
  }

  /** Samplers that keep nothing between steps: the sample alone carries the run. */
  @Override
  public SamplerMemory memory() {
    return SamplerMemory.NONE;
  }

  @Override
  public void restore(SamplerMemory memory) {
    numSteps();
    if (memory.previousPrediction() != null) {
      throw new IllegalArgumentException(name() + ": keeps no prediction between steps");
    }
  }

  protected final boolean epsilon() {
    return config.predictionType() == SchedulerConfig.PredictionType.EPSILON;
  }

  @Override
  public String toString() {
    return name() + "[" + config + "]";
  }
}
