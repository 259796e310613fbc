package dev.durablediffusion.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A request field and why its value is refused. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FieldError(String field, String reason) {

  @Override
  public String toString() {
    return field + ": " + reason;
  }
}
