package dev.durablediffusion.engine.checkpoint;

import dev.durablediffusion.engine.sampler.ResumableRandom;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import java.util.List;

/**
 * A denoise stopped between two steps: everything needed to take step {@code nextStep} and the
 * rest exactly as an uninterrupted run would.
 *
 * @param fingerprint the {@link DenoiseFingerprint} of the generation it belongs to
 * @param nextStep the index of the next step to take
 * @param latents the whole batch's sample before that step (B×C×h×w)
 * @param sampler the sampler's own memory
 * @param noise each image's noise generator, in batch order
 */
public record DenoiseCheckpoint(
    String fingerprint,
    int nextStep,
    float[] latents,
    SamplerMemory sampler,
    List<ResumableRandom.State> noise) {

  public DenoiseCheckpoint {
    noise = List.copyOf(noise);
  }
}
