package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.api.generation.InFlightReconciler;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.storage.index.IndexEntry;
import dev.durablediffusion.workflows.generation.GenerationState;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Markers left by generations that no longer run stop counting against the in-flight limit. */
class InFlightMarkersTest {

  @RegisterExtension
  static final RunningPlatform platform = RunningPlatform.with(Map.of("dd.api.keys", "acme:key-a"));

  @Test
  void markersOfLostAndEndedGenerationsAreClearedAndARunningOnesIsKept() throws Exception {
    ApiClient acme = new ApiClient(platform.port(), "key-a");
    GenerationIndex index = platform.bean(GenerationIndex.class);
    String ended = acme.submit("{\"prompt\":\"a square\",\"steps\":1}");
    acme.awaitEnd(ended, Duration.ofMinutes(2));
    String running = acme.submit("{\"prompt\":\"a circle\",\"steps\":150,\"num_images\":4}");
    acme.awaitStep(running, 1, Duration.ofMinutes(1));
    index.recordStarted("acme", entry("gen_lost_with_its_server"));
    index.recordStarted("acme", entry(ended));
    assertThat(index.inFlight("acme")).isEqualTo(3);

    int cleared = platform.bean(InFlightReconciler.class).reconcile();

    assertThat(cleared).isEqualTo(2);
    assertThat(index.inFlightMarkers())
        .extracting(GenerationIndex.InFlightMarker::generationId)
        .containsExactly(running);
    acme.post("/v1/generations/" + running + "/cancel", "", null);
  }

  private static IndexEntry entry(String id) {
    return new IndexEntry(
        id, GenerationState.QUEUED, 1_000L, "interactive", null, "p", null, Map.of(), null, null);
  }
}
