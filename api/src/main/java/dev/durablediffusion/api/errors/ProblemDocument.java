package dev.durablediffusion.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.model.FieldError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * An RFC 9457 problem document written where Spring MVC's exception handlers do not reach: servlet
 * filters and Tomcat's own error reports. The same shape as {@code ProblemResponses}' answers.
 */
public final class ProblemDocument {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProblemDocument() {}

  public static String json(String type, HttpStatus status, String detail) {
    return json(type, status.getReasonPhrase(), status, detail, List.of());
  }

  /** A 400 naming each field and its reason, as {@code ProblemResponses}' validation problems. */
  public static String invalidRequest(String detail, List<FieldError> errors) {
    return json(
        "/problems/invalid-request", "Invalid request", HttpStatus.BAD_REQUEST, detail, errors);
  }

  private static String json(
      String type, String title, HttpStatus status, String detail, List<FieldError> errors) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", type);
    problem.put("title", title);
    problem.put("status", status.value());
    problem.put("detail", detail);
    if (!errors.isEmpty()) {
      problem.put(
          "errors",
          errors.stream().map(e -> Map.of("field", e.field(), "reason", e.reason())).toList());
    }
    try {
      return JSON.writeValueAsString(problem);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets the status and writes the document as the response's body. */
  public static void write(
      HttpServletResponse response, String type, HttpStatus status, String detail)
      throws IOException {
    write(response, status, json(type, status, detail));
  }

  public static void write(HttpServletResponse response, HttpStatus status, String json)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write(json);
  }
}
