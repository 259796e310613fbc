package dev.durablediffusion.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.ForwardingObjectStore;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.workflows.generation.GenerationError;
import dev.durablediffusion.workflows.generation.GenerationOutcome;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.Progress;
import dev.durablediffusion.workflows.generation.StageSettings;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import dev.durablediffusion.workflows.generation.WebhookSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationIndexTest {

  @TempDir Path root;
  private GenerationIndex index;

  @BeforeEach
  void open() {
    index = new GenerationIndex(new FilesystemObjectStore(root));
  }

  @Test
  void listsNewestFirstAcrossPagesWithoutGapsOrRepeats() {
    for (int i = 0; i < 7; i++) {
      index.recordStarted("acme", started("gen_" + i, 1_000L + i));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      GenerationIndex.Page page = index.page("acme", cursor, 3);
      page.entries().forEach(e -> seen.add(e.id()));
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);

    assertThat(seen).containsExactly("gen_6", "gen_5", "gen_4", "gen_3", "gen_2", "gen_1", "gen_0");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void keepsTenantsApart() {
    index.recordStarted("acme", started("gen_a", 1_000L));
    index.recordStarted("globex", started("gen_b", 2_000L));

    assertThat(index.page("acme", null, 10).entries())
        .extracting(IndexEntry::id)
        .containsExactly("gen_a");
    assertThat(index.inFlight("globex")).isEqualTo(1);
  }

  @Test
  void theOutcomeReplacesTheStartKeepsItsMetadataAndEndsTheInFlightMark() {
    index.recordStarted("acme", started("gen_1", 5_000L));
    assertThat(index.inFlight("acme")).isEqualTo(1);
    assertThat(index.inFlightWithPriority("interactive")).isEqualTo(1);
    assertThat(index.inFlightWithPriority("batch")).isZero();

    GenerationOutcome outcome =
        new GenerationOutcome(
            "acme",
            "gen_1",
            5_000L,
            "interactive",
            GenerationState.SUCCEEDED,
            "a red circle",
            "tiny-shapes",
            null,
            List.of(new ImageRef("outputs/acme/gen_1/image-0.png", 64, 64, 7L, "ab")),
            null,
            9_000L,
            null);
    index.recordOutcome(outcome);
    index.recordOutcome(outcome);

    List<IndexEntry> entries = index.page("acme", null, 10).entries();
    assertThat(entries).hasSize(1);
    IndexEntry entry = entries.get(0);
    assertThat(entry.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(entry.metadata()).containsEntry("order", "42");
    assertThat(entry.outputs()).extracting(ImageRef::seed).containsExactly(7L);
    assertThat(entry.finishedAtMillis()).isEqualTo(9_000L);
    assertThat(index.inFlight("acme")).isZero();
    assertThat(index.inFlightWithPriority("interactive")).isZero();
  }

  @Test
  void anOutcomeWithoutAStartStillLandsInTheListing() {
    index.recordOutcome(
        new GenerationOutcome(
            "acme",
            "gen_lost_start",
            1_000L,
            "batch",
            GenerationState.FAILED,
            "x",
            null,
            Map.of(),
            List.of(),
            new GenerationError("invalid_request", "bad", false, List.of()),
            2_000L,
            null));

    IndexEntry entry = index.page("acme", null, 10).entries().get(0);
    assertThat(entry.error().type()).isEqualTo("invalid_request");
  }

  @Test
  void theFinalStatusIsKeptForItsTenantOnly() {
    GenerationPlan plan =
        new GenerationPlan(
            "gen_f",
            "acme",
            "a red circle",
            "",
            "tiny-shapes",
            64,
            64,
            20,
            5.0,
            "ddim",
            0,
            7L,
            1,
            new UpscaleSpec(2, UpscaleSpec.LANCZOS),
            new WebhookSpec("https://example.com/h", List.of("completed")),
            "batch",
            Map.of("order", "42"),
            null,
            0.75,
            new StageSettings(
                "gpu-batch",
                Duration.ofMinutes(10),
                Duration.ofSeconds(30),
                List.of(Duration.ZERO, Duration.ofSeconds(5)),
                0));
    GenerationStatus status =
        new GenerationStatus(
            "gen_f",
            "acme",
            GenerationState.SUCCEEDED,
            new Progress(20, 20, 100, 0, null),
            plan,
            List.of(new ImageRef("outputs/acme/gen_f/image-0.png", 128, 128, 7L, "ab")),
            null,
            Map.of("total", 900L),
            false,
            false,
            "sha256:feed",
            "gpu-host-a",
            List.of("gpu-host-a"),
            null,
            1_000L,
            1_900L,
            9);

    index.recordOutcome(
        new GenerationOutcome(
            "acme",
            "gen_f",
            1_000L,
            "batch",
            GenerationState.SUCCEEDED,
            "a red circle",
            "tiny-shapes",
            Map.of(),
            status.outputs(),
            null,
            1_900L,
            status));

    assertThat(index.finalStatus("acme", "gen_f")).contains(status);
    assertThat(index.finalStatus("globex", "gen_f")).isEmpty();
    assertThat(index.finalStatus("acme", "../gen_f")).isEmpty();
  }

  @Test
  void aStartCutShortBetweenItsTwoMarkersLeavesNoMarkerTheReconcilerCannotFind() {
    for (int markerWrite = 1; markerWrite <= 2; markerWrite++) {
      GenerationIndex cutShort =
          new GenerationIndex(
              new FailingMarkerWrites(new FilesystemObjectStore(root), markerWrite));
      String id = "gen_cut_" + markerWrite;

      assertThatThrownBy(() -> cutShort.recordStarted("acme", started(id, 1_000L)))
          .isInstanceOf(IllegalStateException.class);

      index.inFlightMarkers().forEach(index::clearInFlight);

      assertThat(index.inFlight("acme")).as("after marker write %d failed", markerWrite).isZero();
    }
  }

  @Test
  void refusesCursorsItDidNotMake() {
    assertThatThrownBy(() -> index.page("acme", "not base64 !", 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> index.page("acme", "Li4vZ2xvYmV4", 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatesLongPrompts() {
    index.recordStarted(
        "acme",
        new IndexEntry(
            "gen_p",
            GenerationState.QUEUED,
            1L,
            "batch",
            null,
            "x".repeat(5000),
            null,
            null,
            null,
            null));

    assertThat(index.page("acme", null, 1).entries().get(0).prompt())
        .hasSize(IndexEntry.PROMPT_CHARS);
  }

  private static IndexEntry started(String id, long at) {
    return new IndexEntry(
        id,
        GenerationState.QUEUED,
        at,
        "interactive",
        null,
        "a red circle",
        null,
        Map.of("order", "42"),
        null,
        null);
  }

  /** A store whose n-th write of an in-flight marker fails, as a crash there would leave it. */
  private static final class FailingMarkerWrites extends ForwardingObjectStore {
    private final int failingWrite;
    private int markerWrites;

    FailingMarkerWrites(ObjectStore store, int failingWrite) {
      super(store);
      this.failingWrite = failingWrite;
    }

    @Override
    public void put(ObjectRef ref, byte[] bytes, String contentType) {
      if (ref.key().contains("active/") && ++markerWrites == failingWrite) {
        throw new IllegalStateException("cut short writing " + ref);
      }
      super.put(ref, bytes, contentType);
    }
  }
}
