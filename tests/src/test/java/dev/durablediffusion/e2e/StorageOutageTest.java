package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blob storage (a real Azurite) goes away for several seconds mid-job; the job still completes. */
class StorageOutageTest {

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.onAzurite(Map.of("dd.api.keys", "a:key-a"));

  @Test
  void aGenerationRidesOutAStorageOutage() throws Exception {
    ApiClient api = new ApiClient(platform.port(), "key-a");
    String id =
        api.submit(
            """
            {"prompt": "a green circle on a black background", "steps": 150, "num_images": 4}""");
    api.awaitStep(id, 3, Duration.ofMinutes(2));

    platform.azurite().stop();
    Thread.sleep(5_000);
    platform.azurite().start();
    JsonNode done = api.awaitEnd(id, Duration.ofMinutes(3));

    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("outputs")).hasSize(4);
    assertThat(api.get(done.get("outputs").get(3).get("url").asText()).status()).isEqualTo(200);
  }
}
