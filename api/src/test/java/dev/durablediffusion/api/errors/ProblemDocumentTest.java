package dev.durablediffusion.api.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.model.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletResponse;

class ProblemDocumentTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void writesTypeTitleStatusAndAnEscapedDetail() throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();

    ProblemDocument.write(
        response, "/problems/x", HttpStatus.TOO_MANY_REQUESTS, "a \"quoted\" detail\n");

    assertThat(response.getStatus()).isEqualTo(429);
    assertThat(response.getContentType()).startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(response.getContentAsString());
    assertThat(problem.get("type").asText()).isEqualTo("/problems/x");
    assertThat(problem.get("title").asText()).isEqualTo("Too Many Requests");
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("detail").asText()).isEqualTo("a \"quoted\" detail\n");
    assertThat(problem.has("errors")).isFalse();
  }

  @Test
  void anInvalidRequestNamesEachFieldAndReason() throws Exception {
    JsonNode problem =
        JSON.readTree(
            ProblemDocument.invalidRequest(
                "one credential", List.of(new FieldError("Authorization", "appears twice"))));

    assertThat(problem.get("type").asText()).isEqualTo("/problems/invalid-request");
    assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("Authorization");
    assertThat(problem.get("errors").get(0).get("reason").asText()).isEqualTo("appears twice");
  }
}
