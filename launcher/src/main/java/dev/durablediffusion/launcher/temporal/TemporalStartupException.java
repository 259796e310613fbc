package dev.durablediffusion.launcher.temporal;

/**
 * The embedded Temporal server cannot start; the message says why and what to do. The launcher
 * prints it instead of a stack trace.
 */
public class TemporalStartupException extends RuntimeException {

  public TemporalStartupException(String message) {
    super(message);
  }

  public TemporalStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
