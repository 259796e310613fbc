package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.model.FieldError;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import java.util.List;

/**
 * The failures activities raise, carrying a {@link GenerationError} as their details, and the
 * error a generation reports for whatever ended it.
 */
public final class GenerationFailures {

  private GenerationFailures() {}

  public static ApplicationFailure invalidRequest(List<FieldError> fields) {
    String message = String.join("; ", fields.stream().map(FieldError::toString).toList());
    return failure(
        new GenerationError(ErrorTypes.INVALID_REQUEST, message, false, List.copyOf(fields)));
  }

  public static ApplicationFailure modelUnavailable(String message) {
    return failure(new GenerationError(ErrorTypes.MODEL_UNAVAILABLE, message, false, List.of()));
  }

  /**
   * A GPU host going away (shutdown, eviction) handed its denoise back after checkpointing it: a
   * retryable failure, so the workflow continues on another host.
   */
  public static ApplicationFailure hostDraining(String host, int step) {
    return ApplicationFailure.newFailure(
        "GPU host " + host + " is going away; the denoise continues elsewhere from step " + step,
        ErrorTypes.GPU_HOST_DRAINING);
  }

  private static ApplicationFailure failure(GenerationError error) {
    return ApplicationFailure.newNonRetryableFailure(error.message(), error.type(), error);
  }

  /** A cancel request surfaces directly or as the cause of the activity it interrupted. */
  static boolean isCancel(TemporalFailure failure) {
    return failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure;
  }

  /**
   * The error an activity carried, or one made from the first application failure in the chain; a
   * timeout means no GPU host finished the denoise.
   */
  static GenerationError describe(TemporalFailure failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof ApplicationFailure)) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure app) {
      if (app.getDetails().getSize() > 0) {
        GenerationError detail = app.getDetails().get(GenerationError.class);
        if (detail != null) {
          return detail;
        }
      }
      return new GenerationError(
          app.getType(), app.getOriginalMessage(), !app.isNonRetryable(), List.of());
    }
    if (cause instanceof TimeoutFailure) {
      return new GenerationError(
          ErrorTypes.GPU_HOST_LOST, "no GPU host completed the denoise", true, List.of());
    }
    return new GenerationError(
        ErrorTypes.INTERNAL, String.valueOf(cause.getMessage()), true, List.of());
  }
}
