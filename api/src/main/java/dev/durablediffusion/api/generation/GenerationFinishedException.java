package dev.durablediffusion.api.generation;

/** The generation has already ended, so it cannot be canceled. */
public class GenerationFinishedException extends RuntimeException {

  public GenerationFinishedException(String id, String status) {
    super("generation " + id + " has already ended (" + status + ")");
  }
}
