package dev.durablediffusion.engine.sampler;

/**
 * A diffusion sampler (a "scheduler" in diffusers' terms): turns the model's predictions into a
 * sequence of progressively less noisy latents.
 *
 * <p>Instances are stateful — one per generation — and not thread-safe. Latents are flat {@code
 * float[]} arrays holding the whole batch (B×C×h×w, row-major); all samplers work element-wise, so
 * the batch layout does not matter to them. Arithmetic is done in double.
 *
 * <p>Typical loop:
 *
 * <pre>{@code
 * sampler.setTimesteps(steps);
 * float[] x = noise(...) * sampler.initNoiseSigma();
 * for (int i = 0; i < sampler.timesteps().length; i++) {
 *     float[] in = sampler.scaleModelInput(x, i);
 *     float[] out = unet(in, sampler.timesteps()[i], ...);
 *     x = sampler.step(out, i, x, noise);
 * }
 * }</pre>
 *
 * For img2img, start at a later index {@code k}: {@code x = sampler.addNoise(x0, noise, k)} and
 * loop from {@code k}.
 */
public interface Sampler {

  /**
   * Chooses the inference timesteps and resets any state of a previous run.
   *
   * @param steps the number of denoising steps, 1 ≤ steps ≤ num_train_timesteps
   * @throws IllegalArgumentException for a number of steps outside the supported range
   */
  void setTimesteps(int steps);

  /**
   * The timesteps to pass to the UNet, one per step, in the order of the steps (decreasing).
   * Possibly fractional. Returns a copy.
   *
   * @throws IllegalStateException before {@link #setTimesteps}
   */
  float[] timesteps();

  /** The standard deviation to multiply unit Gaussian noise by to get the initial latent. */
  float initNoiseSigma();

  /**
   * Scales the current sample into the form the UNet expects at step {@code stepIndex}. May return
   * {@code sample} itself when no scaling applies; callers must not mutate the result.
   */
  float[] scaleModelInput(float[] sample, int stepIndex);

  /**
   * Performs one denoising step.
   *
   * @param modelOutput the UNet's prediction for {@code scaleModelInput(sample, stepIndex)}
   * @param stepIndex index into {@link #timesteps()}; a run's calls must use consecutive indices
   *     (it may start at any index)
   * @param sample the current (unscaled) sample
   * @param noise source of fresh noise for stochastic samplers; may be {@code null} for
   *     deterministic ones
   * @return the sample for the next step (a new array; the arguments are not modified)
   */
  float[] step(float[] modelOutput, int stepIndex, float[] sample, NoiseSource noise);

  /**
   * Noises a clean latent to the noise level of step {@code stepIndex}, in the form {@link #step}
   * expects as its {@code sample} at that index (used for img2img).
   *
   * @return a new array
   */
  float[] addNoise(float[] original, float[] noise, int stepIndex);

  /** What this sampler keeps between steps, as it stands after the last {@link #step}. */
  SamplerMemory memory();

  /**
   * Continues a run another sampler of the same configuration left: after {@link #setTimesteps}
   * with the same number of steps, the next {@link #step} takes index {@code memory.lastStep() + 1}
   * as if this sampler had taken every step before it.
   *
   * @throws IllegalArgumentException for a memory this kind of sampler cannot have left
   */
  void restore(SamplerMemory memory);

  /** The factory name of this sampler: one of {@link Samplers#names()}. */
  String name();
}
