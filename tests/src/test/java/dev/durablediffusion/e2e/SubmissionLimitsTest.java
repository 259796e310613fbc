package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-tenant limits. No GPU worker runs, so accepted generations stay in flight until canceled. */
class SubmissionLimitsTest {

  private static final String BODY =
      """
      {"prompt": "a red circle on a blue background", "steps": 2}""";

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.with(
          Map.of(
              "dd.api.keys", "busy:key-busy,burst:key-burst,calm:key-calm",
              "dd.gpu.enabled", "false",
              "dd.api.max-in-flight", "2",
              "dd.api.submission-burst", "3",
              "dd.api.submissions-per-second", "0.01"));

  @Test
  void aTenantAtItsInFlightLimitGets429UntilOneEnds() throws Exception {
    ApiClient busy = new ApiClient(platform.port(), "key-busy");
    String first = busy.submit(BODY);
    busy.submit(BODY);

    ApiClient.Response refused = busy.postWith("/v1/generations", BODY, Map.of());

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().get("type").asText()).isEqualTo("/problems/too-many-in-flight");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(busy.get("/v1/generations").json().get("data")).hasSize(2);

    busy.postWith("/v1/generations/" + first + "/cancel", "", Map.of());
    assertThat(busy.awaitEnd(first, Duration.ofMinutes(1)).get("status").asText())
        .isEqualTo("canceled");
    assertThat(
            busy.get("/v1/generations?status=canceled").json().get("data").findValuesAsText("id"))
        .containsExactly(first);
  }

  @Test
  void aBurstPastTheBucketGets429WithRetryAfterAndOtherTenantsAreUntouched() {
    ApiClient burst = new ApiClient(platform.port(), "key-burst");
    burst.submit(BODY);
    burst.submit(BODY);
    ApiClient.Response inFlight = burst.postWith("/v1/generations", BODY, Map.of());

    ApiClient.Response limited = burst.postWith("/v1/generations", BODY, Map.of());
    ApiClient.Response calm =
        new ApiClient(platform.port(), "key-calm").postWith("/v1/generations", BODY, Map.of());

    assertThat(inFlight.json().get("type").asText()).isEqualTo("/problems/too-many-in-flight");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.json().get("type").asText()).isEqualTo("/problems/rate-limited");
    assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 100L);
    assertThat(calm.status()).isEqualTo(202);
  }
}
