package dev.durablediffusion.api.generation;

import dev.durablediffusion.model.FieldError;
import java.util.List;

/** A request refused before any work started; answered 400 with each field and reason. */
public class InvalidRequestException extends RuntimeException {

  private final List<FieldError> errors;

  public InvalidRequestException(List<FieldError> errors) {
    super(String.join("; ", errors.stream().map(FieldError::toString).toList()));
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }
}
