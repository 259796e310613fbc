package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.storage.index.IndexEntry;
import dev.durablediffusion.workflows.generation.GenerationState;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InFlightReconcilerTest {

  @TempDir Path root;
  private GenerationIndex index;

  @BeforeEach
  void index() {
    index = new GenerationIndex(new FilesystemObjectStore(root));
  }

  @Test
  void clearsTheMarkersOfGenerationsThatNoLongerRunAndKeepsTheRest() {
    index.recordStarted("acme", started("gen_running", "interactive"));
    index.recordStarted("acme", started("gen_lost", "interactive"));
    index.recordStarted("acme.eu", started("gen_ended", "batch"));
    Set<String> running = Set.of("gen_running");

    int cleared = new InFlightReconciler(index, running::contains).reconcile();

    assertThat(cleared).isEqualTo(2);
    assertThat(index.inFlight("acme")).isEqualTo(1);
    assertThat(index.inFlight("acme.eu")).isZero();
    assertThat(index.inFlightWithPriority("interactive")).isEqualTo(1);
    assertThat(index.inFlightWithPriority("batch")).isZero();
    assertThat(index.inFlightMarkers())
        .containsExactly(new GenerationIndex.InFlightMarker("interactive", "acme", "gen_running"));
  }

  @Test
  void aServerThatCannotBeAskedClearsNothing() {
    index.recordStarted("acme", started("gen_1", "interactive"));
    InFlightReconciler reconciler =
        new InFlightReconciler(
            index,
            id -> {
              throw new IllegalStateException("the workflow service cannot be reached");
            });

    assertThatThrownBy(reconciler::reconcile).isInstanceOf(IllegalStateException.class);
    assertThat(index.inFlight("acme")).isEqualTo(1);
  }

  private static IndexEntry started(String id, String priority) {
    return new IndexEntry(
        id, GenerationState.QUEUED, 1_000L, priority, null, "p", null, Map.of(), null, null);
  }
}
