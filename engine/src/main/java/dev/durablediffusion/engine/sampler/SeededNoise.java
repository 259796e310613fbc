package dev.durablediffusion.engine.sampler;

import java.util.Arrays;
import java.util.List;

/**
 * Per-image seeded noise for a batch.
 *
 * <p>Image {@code i} owns a generator seeded with {@code seeds.get(i)} (the sequence of {@code new
 * java.util.Random(seed)}) for the lifetime of this object; each {@link #fill} fills image {@code
 * i}'s segment {@code [i·elementsPerImage, (i+1)·elementsPerImage)} with successive Gaussian draws
 * of that generator. So an image's noise depends only on its seed and on how many draws were made
 * before — not on the batch size or on its position in the batch. The generators' {@link #state()}
 * can be saved after any step and {@link #restore restored} in another process. Not thread-safe.
 */
public final class SeededNoise implements NoiseSource {

  private final ResumableRandom[] generators;
  private final int elementsPerImage;

  /**
   * @param seeds one seed per image of the batch, in batch order (not empty)
   * @param elementsPerImage the number of latent elements of one image (C×h×w, positive)
   */
  public SeededNoise(List<Long> seeds, int elementsPerImage) {
    if (seeds == null || seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds: at least one seed is required");
    }
    if (elementsPerImage <= 0) {
      throw new IllegalArgumentException(
          "elementsPerImage: must be positive, got " + elementsPerImage);
    }
    this.generators = new ResumableRandom[seeds.size()];
    for (int i = 0; i < generators.length; i++) {
      Long seed = seeds.get(i);
      if (seed == null) {
        throw new IllegalArgumentException("seeds: seed " + i + " is null");
      }
      generators[i] = new ResumableRandom(seed);
    }
    this.elementsPerImage = elementsPerImage;
  }

  /** The number of images this source serves. */
  public int batchSize() {
    return generators.length;
  }

  /** The number of latent elements of one image. */
  public int elementsPerImage() {
    return elementsPerImage;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException unless {@code target.length == batchSize() ·
   *     elementsPerImage()}
   */
  @Override
  public void fill(float[] target) {
    long expected = (long) generators.length * elementsPerImage;
    if (target.length != expected) {
      throw new IllegalArgumentException(
          "target: expected "
              + expected
              + " elements ("
              + generators.length
              + " images × "
              + elementsPerImage
              + "), got "
              + target.length);
    }
    for (int i = 0; i < generators.length; i++) {
      ResumableRandom r = generators[i];
      int base = i * elementsPerImage;
      for (int k = 0; k < elementsPerImage; k++) {
        target[base + k] = (float) r.nextGaussian();
      }
    }
  }

  /** The state of each image's generator, in batch order. */
  public List<ResumableRandom.State> state() {
    return Arrays.stream(generators).map(ResumableRandom::state).toList();
  }

  /**
   * Puts every image's generator back to a saved {@link #state()}.
   *
   * @throws IllegalArgumentException unless there is one state per image
   */
  public void restore(List<ResumableRandom.State> states) {
    if (states.size() != generators.length) {
      throw new IllegalArgumentException(
          "states: expected " + generators.length + " generator states, got " + states.size());
    }
    for (int i = 0; i < generators.length; i++) {
      generators[i].restore(states.get(i));
    }
  }
}
