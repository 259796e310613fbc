package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.model.FieldError;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/** The failures activities raise, carrying a {@link GenerationError} as their details. */
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

  private static ApplicationFailure failure(GenerationError error) {
    return ApplicationFailure.newNonRetryableFailure(error.message(), error.type(), error);
  }
}
