package dev.durablediffusion.api.generation;

/** No generation of this id for this tenant: unknown and foreign ids look the same. */
public class GenerationNotFoundException extends RuntimeException {

  public GenerationNotFoundException(String id) {
    super("generation " + id + " was not found");
  }
}
