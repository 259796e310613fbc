package dev.durablediffusion.api.json;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.durablediffusion.model.FieldError;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** What was wrong with a JSON body that could not be read, named by the field where it was. */
public final class JsonBodyErrors {

  private JsonBodyErrors() {}

  /** The field error for the cause of a failed read. */
  public static FieldError of(Throwable cause) {
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof StreamReadException read
          && read.getProcessor() != null
          && read.getMessage() != null
          && read.getMessage().startsWith("Duplicate field")) {
        return new FieldError(
            path(read.getProcessor().getParsingContext()), "appears more than once");
      }
    }
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return new FieldError(path(unknown), "is not a known field");
    }
    if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      return new FieldError(path(mismatch), expected(mismatch.getTargetType()));
    }
    if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return new FieldError(path(mapping), "has the wrong type");
    }
    return new FieldError("body", "must be one JSON object and nothing after it");
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "has the wrong type";
    }
    if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
      return "must be a JSON integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "must be a JSON number";
    }
    if (type == String.class) {
      return "must be a JSON string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "must be a JSON array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "must be a JSON object";
    }
    return "has the wrong type";
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String path(JsonStreamContext context) {
    JsonPointer pointer = context.pathAsPointer();
    StringBuilder path = new StringBuilder();
    for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
      if (p.mayMatchElement()) {
        path.append('[').append(p.getMatchingIndex()).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(p.getMatchingProperty());
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }
}
