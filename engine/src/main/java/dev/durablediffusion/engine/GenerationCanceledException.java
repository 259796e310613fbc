package dev.durablediffusion.engine;

/** The caller asked the generation to stop. */
public class GenerationCanceledException extends RuntimeException {

  public GenerationCanceledException(int step, int total) {
    super("generation canceled after step " + step + " of " + total);
  }
}
