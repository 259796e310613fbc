package dev.durablediffusion.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.durablediffusion.api.generation.CreateGenerationBody;
import dev.durablediffusion.model.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {

  private static final ObjectMapper STRICT =
      StrictJson.reader(
          new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

  @Test
  void aWellTypedBodyReadsAsWritten() throws Exception {
    CreateGenerationBody body =
        STRICT.readValue(
            "{\"prompt\":\"a fox\",\"steps\":4,\"guidance_scale\":7,\"seed\":12,"
                + "\"upscale\":{\"factor\":2},\"metadata\":{\"k\":\"v\"}}",
            CreateGenerationBody.class);

    assertThat(body.prompt()).isEqualTo("a fox");
    assertThat(body.steps()).isEqualTo(4);
    assertThat(body.guidanceScale()).isEqualTo(7.0);
    assertThat(body.seed()).isEqualTo(12L);
    assertThat(body.upscale().factor()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"prompt\":123}|prompt|must be a JSON string",
        "{\"prompt\":true}|prompt|must be a JSON string",
        "{\"prompt\":1.5}|prompt|must be a JSON string",
        "{\"prompt\":\"p\",\"steps\":\"4\"}|steps|must be a JSON integer",
        "{\"prompt\":\"p\",\"steps\":4.7}|steps|must be a JSON integer",
        "{\"prompt\":\"p\",\"steps\":4.0}|steps|must be a JSON integer",
        "{\"prompt\":\"p\",\"steps\":\"\"}|steps|must be a JSON integer",
        "{\"prompt\":\"p\",\"steps\":true}|steps|must be a JSON integer",
        "{\"prompt\":\"p\",\"seed\":1.5}|seed|must be a JSON integer",
        "{\"prompt\":\"p\",\"guidance_scale\":\"7\"}|guidance_scale|must be a JSON number",
        "{\"prompt\":\"p\",\"upscale\":{\"factor\":\"2\"}}|upscale.factor|must be a JSON integer",
        "{\"prompt\":\"p\",\"upscale\":\"\"}|upscale|must be a JSON object",
        "{\"prompt\":\"p\",\"metadata\":{\"k\":1}}|metadata.k|must be a JSON string",
        "{\"prompt\":\"p\",\"webhook\":{\"url\":\"http://x\",\"events\":\"started\"}}"
            + "|webhook.events|must be a JSON array",
        "{\"prompt\":\"p\",\"colour\":\"red\"}|colour|is not a known field",
      })
  void aValueOfTheWrongJsonTypeIsNamedNotCoerced(String json, String field, String reason) {
    assertThat(error(json)).isEqualTo(new FieldError(field, reason));
  }

  @Test
  void aRepeatedKeyIsRefusedWhereverItIs() {
    assertThat(error("{\"steps\":99999,\"steps\":4,\"prompt\":\"p\"}"))
        .isEqualTo(new FieldError("steps", "appears more than once"));
    assertThat(error("{\"prompt\":\"p\",\"upscale\":{\"factor\":2,\"factor\":4}}"))
        .isEqualTo(new FieldError("upscale.factor", "appears more than once"));
  }

  @Test
  void anythingAfterTheObjectIsRefused() {
    assertThat(error("{\"prompt\":\"p\"} trailing"))
        .isEqualTo(new FieldError("body", "must be one JSON object and nothing after it"));
    assertThat(error("{\"prompt\":\"p\"}{\"prompt\":\"q\"}"))
        .isEqualTo(new FieldError("body", "must be one JSON object and nothing after it"));
  }

  private static FieldError error(String json) {
    Throwable thrown = catchThrowable(() -> STRICT.readValue(json, CreateGenerationBody.class));
    assertThat(thrown).as(json).isNotNull();
    return JsonBodyErrors.of(thrown);
  }
}
