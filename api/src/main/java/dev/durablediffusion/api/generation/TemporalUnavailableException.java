package dev.durablediffusion.api.generation;

/** The Temporal frontend does not answer just now; the request may succeed in a moment. */
public class TemporalUnavailableException extends RuntimeException {

  public TemporalUnavailableException() {
    super("the workflow service cannot be reached just now; retry after the given seconds");
  }
}
