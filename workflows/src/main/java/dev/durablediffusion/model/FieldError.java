package dev.durablediffusion.model;

/** A request field and why its value is refused. */
public record FieldError(String field, String reason) {

  @Override
  public String toString() {
    return field + ": " + reason;
  }
}
