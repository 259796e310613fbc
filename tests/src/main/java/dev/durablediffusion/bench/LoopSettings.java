package dev.durablediffusion.bench;

import dev.durablediffusion.engine.GenerationSpec;

/** The generation both sides of the engine benchmark run: DDIM at the bundle's default size. */
record LoopSettings(String prompt, long seed, int steps, double guidanceScale, int threads) {

  static final String SAMPLER = "ddim";
  static final int SIZE = 64;

  GenerationSpec spec(int numImages) {
    return GenerationSpec.textToImage(
        prompt, null, SIZE, SIZE, steps, guidanceScale, SAMPLER, seed, numImages);
  }
}
