package dev.durablediffusion.engine;

import dev.durablediffusion.model.FieldError;
import java.util.List;

/** Parameters the model cannot honour, each with its field and reason. */
public class InvalidGenerationException extends RuntimeException {

  private final List<FieldError> errors;

  public InvalidGenerationException(List<FieldError> errors) {
    super(String.join("; ", errors.stream().map(FieldError::toString).toList()));
    this.errors = List.copyOf(errors);
  }

  public InvalidGenerationException(String field, String reason) {
    this(List.of(new FieldError(field, reason)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
