package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Temporal server process alone dies (SIGKILL) while a generation denoises. */
class TemporalServerCrashTest {

  @TempDir Path data;

  @Test
  void theSupervisorStartsItAgainAndTheGenerationSucceedsWhileTheApiNeverAnswers500()
      throws Exception {
    try (TemporalServerProcess temporal = new TemporalServerProcess(data.resolve("t/temporal.db"));
        InProcessPlatform platform =
            new InProcessPlatform(temporal, data, Map.of("dd.api.keys", "a:key-a"))) {
      ApiClient api = new ApiClient(platform.port(), "key-a");
      String id =
          api.submit(
              """
              {"prompt": "a green triangle on a black background", "steps": 80, "seed": 5}""");
      api.awaitStep(id, 3, Duration.ofMinutes(2));

      ProcessHandle killed = temporal.process();
      killed.destroyForcibly();
      killed.onExit().join();

      List<Integer> answers = new ArrayList<>();
      JsonNode last = null;
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (System.nanoTime() < deadline) {
        ApiClient.Response response = api.get("/v1/generations/" + id);
        answers.add(response.status());
        if (response.status() == 503) {
          assertThat(response.contentType()).startsWith("application/problem+json");
          assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
        if (response.status() == 200) {
          last = response.json();
          if (last.get("status").asText().equals("succeeded")) {
            break;
          }
        }
        Thread.sleep(100);
      }

      assertThat(answers).as("answers while the server was away").isSubsetOf(200, 503);
      assertThat(last).isNotNull();
      assertThat(last.get("status").asText()).isEqualTo("succeeded");
      assertThat(temporal.restarts()).isEqualTo(1);
      assertThat(temporal.process().pid()).isNotEqualTo(killed.pid());
    }
  }

  @Test
  void withNoServerTheApiAnswers503ProblemJsonAtOnceAndStillServesFinishedGenerations()
      throws Exception {
    TemporalServerProcess temporal = new TemporalServerProcess();
    try (InProcessPlatform platform =
        new InProcessPlatform(temporal, data, Map.of("dd.api.keys", "a:key-a"))) {
      ApiClient api = new ApiClient(platform.port(), "key-a");
      String finished =
          api.submit(
              """
              {"prompt": "a green triangle on a black background", "steps": 4, "seed": 6}""");
      api.awaitEnd(finished, Duration.ofMinutes(2));
      temporal.close();

      long start = System.nanoTime();
      ApiClient.Response unknown = api.get("/v1/generations/gen_0123456789abcdef0123456789abcdef");
      ApiClient.Response submit =
          api.post("/v1/generations", """
              {"prompt": "a square", "steps": 4}""", null);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      ApiClient.Response stored = api.get("/v1/generations/" + finished);

      assertThat(unknown.status()).as(new String(unknown.body())).isEqualTo(503);
      assertThat(unknown.contentType()).startsWith("application/problem+json");
      assertThat(unknown.headers().firstValue("Retry-After")).isPresent();
      assertThat(submit.status()).as(new String(submit.body())).isEqualTo(503);
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      assertThat(stored.status()).isEqualTo(200);
      assertThat(stored.json().get("status").asText()).isEqualTo("succeeded");
    }
  }
}
