package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.api.app.ApiApplication;
import dev.durablediffusion.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API process dies and comes back while generations run: none is lost. */
class ApiRestartTest {

  @TempDir Path data;

  @Test
  void generationsSubmittedBeforeAnApiCrashFinishAndAreServedByTheNextApi() throws Exception {
    int apiPort = Ports.free();
    try (TemporalServerProcess temporal = new TemporalServerProcess();
        InProcessPlatform workers =
            new InProcessPlatform(temporal, data, Map.of("dd.api.keys", "a:key-a"))) {
      List<String> ids = new ArrayList<>();
      try (ChildJvm api = api(temporal, apiPort, "api-1")) {
        ApiClient client = new ApiClient(apiPort, "key-a");
        for (int i = 0; i < 3; i++) {
          ids.add(
              client.submit(
                  """
                  {"prompt": "a black square on a white background", "steps": 60, "seed": %d}"""
                      .formatted(i)));
        }
        api.kill();
      }
      try (ChildJvm api = api(temporal, apiPort, "api-2")) {
        ApiClient client = new ApiClient(apiPort, "key-a");
        for (String id : ids) {
          assertThat(client.awaitEnd(id, Duration.ofMinutes(3)).get("status").asText())
              .isEqualTo("succeeded");
          assertThat(client.get("/v1/generations/" + id + "/images/0").status()).isEqualTo(200);
        }
      }
    }
  }

  private ChildJvm api(TemporalServerProcess temporal, int port, String name)
      throws InterruptedException {
    return ChildJvm.start(
            name,
            data.resolve("logs"),
            ApiApplication.class,
            List.of(
                "--spring.temporal.connection.target=" + temporal.target(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--dd.cpu.enabled=false",
                "--dd.gpu.enabled=false",
                "--dd.api.keys=a:key-a",
                "--dd.storage.filesystem.root=" + data))
        .awaitLog(l -> l.contains("Started ApiApplication"), Duration.ofMinutes(2));
  }
}
