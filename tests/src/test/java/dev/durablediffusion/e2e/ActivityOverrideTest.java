package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.workflows.generation.GenerationFailures;
import dev.durablediffusion.workflows.generation.ValidateActivities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An application that declares its own activity implementation gets it run instead of ours. */
class ActivityOverrideTest {

  @TempDir Path data;

  @Configuration(proxyBeanMethods = false)
  static class HouseRules {

    @Bean
    ValidateActivities houseValidation() {
      return request -> {
        throw GenerationFailures.invalidRequest(
            List.of(new FieldError("prompt", "refused by the house rules")));
      };
    }
  }

  @Test
  void aValidateActivityBeanReplacesTheBuiltInOne() throws Exception {
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform platform =
            new InProcessPlatform(
                temporal, data, Map.of("dd.api.keys", "a:key-a"), HouseRules.class)) {
      ApiClient api = new ApiClient(platform.port(), "key-a");

      String id =
          api.submit(
              """
              {"prompt": "a red circle on a blue background", "steps": 2}""");
      JsonNode done = api.awaitEnd(id, Duration.ofMinutes(2));

      assertThat(done.get("status").asText()).isEqualTo("failed");
      assertThat(done.get("error").toString()).contains("prompt", "refused by the house rules");
      assertThat(done.get("outputs")).isEmpty();
    }
  }
}
