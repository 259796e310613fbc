package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Interactive work is turned away while the interactive backlog is full; batch work is not. No GPU
 * worker runs, so accepted generations stay queued until canceled.
 */
class AdmissionControlTest {

  private static final String INTERACTIVE =
      """
      {"prompt": "a red circle on a blue background", "steps": 2}""";
  private static final String BATCH =
      """
      {"prompt": "a red circle on a blue background", "steps": 2, "priority": "batch"}""";

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.with(
          Map.of(
              "dd.api.keys", "x:key-x,y:key-y",
              "dd.gpu.enabled", "false",
              "dd.api.admission.max-interactive-backlog", "2",
              "dd.api.admission.refresh", "0s",
              "dd.api.admission.retry-after", "12s"));

  @Test
  void aFullInteractiveBacklogRefusesInteractiveWorkOfEveryTenantButNotBatch() throws Exception {
    ApiClient x = new ApiClient(platform.port(), "key-x");
    ApiClient y = new ApiClient(platform.port(), "key-y");
    String first = x.submit(INTERACTIVE);
    y.submit(INTERACTIVE);

    ApiClient.Response refused = y.post("/v1/generations", INTERACTIVE, (String) null);
    ApiClient.Response batch = x.post("/v1/generations", BATCH, (String) null);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().get("type").asText()).isEqualTo("/problems/gpu-busy");
    assertThat(refused.headers().firstValue("Retry-After")).contains("12");
    assertThat(y.get("/v1/generations").json().get("data")).hasSize(1);
    assertThat(batch.status()).isEqualTo(202);

    x.post("/v1/generations/" + first + "/cancel", "", (String) null);
    x.awaitEnd(first, Duration.ofMinutes(1));

    assertThat(y.post("/v1/generations", INTERACTIVE, (String) null).status()).isEqualTo(202);
  }
}
