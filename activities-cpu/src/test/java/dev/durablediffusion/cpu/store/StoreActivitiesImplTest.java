package dev.durablediffusion.cpu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.model.Digests;
import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.ForwardingObjectStore;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.storage.StorageException;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.workflows.generation.GenerationOutcome;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.StageSettings;
import dev.durablediffusion.workflows.generation.StorageLayout;
import dev.durablediffusion.workflows.generation.StoreInput;
import dev.durablediffusion.workflows.generation.StoreResult;
import dev.durablediffusion.workflows.generation.StoredImages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storing a success (outputs and provenance) and closing generations out. */
class StoreActivitiesImplTest {

  private static final long CREATED = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(CREATED + 900), ZoneOffset.UTC);
  private static final byte[] PNG = "png bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;
  private ObjectStore store;
  private GenerationIndex index;
  private StoreActivitiesImpl activities;

  @BeforeEach
  void setUp() {
    store = new FilesystemObjectStore(root);
    index = new GenerationIndex(store);
    activities = new StoreActivitiesImpl(store, index, new SimpleMeterRegistry(), CLOCK);
    store.put(ObjectRef.parse(StorageLayout.denoised("gen-1", 0)), PNG, "image/png");
    store.put(
        ObjectRef.parse(StorageLayout.checkpoint("gen-1")),
        new byte[] {1, 2, 3},
        "application/octet-stream");
  }

  @Test
  void storingImagesCopiesThemBesideTheirProvenanceAndLeavesTheEndToTheWorkflow()
      throws Exception {
    StoredImages stored = activities.storeImages(input());

    assertThat(stored.outputs())
        .extracting(ImageRef::ref)
        .containsExactly("outputs/acme/gen-1/image-0.png");
    assertThat(store.get(ObjectRef.parse("outputs/acme/gen-1/image-0.png"))).hasValue(PNG);
    JsonNode provenance =
        new ObjectMapper()
            .readTree(store.get(ObjectRef.parse("outputs/acme/gen-1/provenance.json")).orElseThrow());
    assertThat(provenance.get("gpu_hosts").toString())
        .isEqualTo("[\"gpu-host-a\",\"gpu-host-b\"]");
    assertThat(provenance.get("resumed_from_step").asInt()).isEqualTo(12);
    assertThat(store.exists(ObjectRef.parse(StorageLayout.denoised("gen-1", 0))))
        .as("the close-out deletes the work area")
        .isTrue();
    assertThat(index.finalStatus("acme", "gen-1")).as("the close-out records the end").isEmpty();
  }

  @Test
  void aRetriedStoreOfImagesWritesTheSameOutputs() {
    StoredImages first = activities.storeImages(input());

    StoredImages retry = activities.storeImages(input());

    assertThat(retry.outputs()).isEqualTo(first.outputs());
    assertThat(store.list(StorageArea.OUTPUTS, "acme/gen-1/"))
        .containsExactly("acme/gen-1/image-0.png", "acme/gen-1/provenance.json");
  }

  @Test
  void storesTheImagesRecordsTheFinalStatusAndEmptiesTheWorkArea() {
    StoreResult result = activities.store(input(), succeeded());

    assertThat(store.get(ObjectRef.parse("outputs/acme/gen-1/image-0.png"))).hasValue(PNG);
    assertThat(store.exists(ObjectRef.parse("outputs/acme/gen-1/provenance.json"))).isTrue();
    assertThat(store.exists(ObjectRef.parse(StorageLayout.denoised("gen-1", 0)))).isFalse();
    GenerationStatus recorded = index.finalStatus("acme", "gen-1").orElseThrow();
    assertThat(recorded).isEqualTo(result.finalStatus());
    assertThat(recorded.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(recorded.outputs())
        .extracting(ImageRef::ref)
        .containsExactly("outputs/acme/gen-1/image-0.png");
    assertThat(recorded.finishedAtMillis()).isEqualTo(CREATED + 900);
    assertThat(recorded.timingsMillis())
        .containsEntry("total", 900L)
        .containsEntry("activities", 500L + result.executionMillis())
        .containsEntry("storing", result.executionMillis())
        .containsEntry("denoising", 400L);
  }

  @Test
  void aRetryAfterTheCloseOutFindsTheOutputsInPlaceAndSucceedsAgain() {
    StoreResult first = activities.store(input(), succeeded());

    StoreResult retry = activities.store(input(), succeeded());

    assertThat(retry.outputs()).isEqualTo(first.outputs());
    assertThat(store.get(ObjectRef.parse("outputs/acme/gen-1/image-0.png"))).hasValue(PNG);
  }

  @Test
  void theEndIsRecordedOnlyOnceTheWorkAreaIsGoneAndARetryRecordsIt() {
    IndexOutage outage = new IndexOutage(store);
    StoreActivitiesImpl duringOutage =
        new StoreActivitiesImpl(outage, new GenerationIndex(outage), new SimpleMeterRegistry(), CLOCK);
    activities.storeImages(input());
    outage.refusePuts = true;

    assertThatThrownBy(() -> duringOutage.closeOut(succeeded()))
        .isInstanceOf(StorageException.class);
    assertThat(store.list(StorageArea.WORK, StorageLayout.workPrefix("gen-1"))).isEmpty();
    assertThat(index.finalStatus("acme", "gen-1")).isEmpty();

    outage.refusePuts = false;
    assertThat(duringOutage.closeOut(succeeded())).isZero();
    assertThat(index.finalStatus("acme", "gen-1")).hasValue(succeeded().finalStatus());
  }

  @Test
  void aWorkImageThatDoesNotMatchItsDigestIsNeverStored() {
    store.put(
        ObjectRef.parse(StorageLayout.denoised("gen-1", 0)), "tampered".getBytes(), "image/png");

    assertThatThrownBy(() -> activities.store(input(), succeeded()))
        .hasMessageContaining("does not match the checksum");
    assertThat(store.exists(ObjectRef.parse("outputs/acme/gen-1/image-0.png"))).isFalse();
    assertThat(index.finalStatus("acme", "gen-1")).isEmpty();
  }

  private static StoreInput input() {
    return new StoreInput(
        plan(),
        List.of(new ImageRef(StorageLayout.denoised("gen-1", 0), 64, 64, 7, Digests.sha256(PNG))),
        "sha256:model",
        false,
        false,
        Map.of("denoising", 400L),
        List.of("gpu-host-a", "gpu-host-b"),
        12);
  }

  private static GenerationOutcome succeeded() {
    GenerationStatus provisional =
        new GenerationStatus(
            "gen-1",
            "acme",
            GenerationState.SUCCEEDED,
            null,
            plan(),
            List.of(),
            null,
            Map.of("denoising", 400L, "activities", 500L),
            false,
            false,
            "sha256:model",
            "gpu-host-a",
            List.of("gpu-host-a"),
            null,
            CREATED,
            0L,
            5);
    return new GenerationOutcome(
        "acme",
        "gen-1",
        CREATED,
        "interactive",
        GenerationState.SUCCEEDED,
        "a red circle",
        "tiny-shapes",
        Map.of(),
        List.of(),
        null,
        0,
        provisional);
  }

  private static GenerationPlan plan() {
    return new GenerationPlan(
        "gen-1",
        "acme",
        "a red circle",
        null,
        "tiny-shapes",
        64,
        64,
        4,
        5.0,
        "ddim",
        0,
        7L,
        1,
        null,
        null,
        "interactive",
        Map.of(),
        null,
        0.75,
        new StageSettings(
            "gpu-interactive",
            Duration.ofMinutes(1),
            Duration.ofSeconds(30),
            List.of(Duration.ZERO),
            0));
  }

  /** A store whose writes fail while {@link #refusePuts} is set; reads and deletes still work. */
  private static final class IndexOutage extends ForwardingObjectStore {
    boolean refusePuts;

    IndexOutage(ObjectStore delegate) {
      super(delegate);
    }

    @Override
    public void put(ObjectRef ref, byte[] bytes, String contentType) {
      if (refusePuts) {
        throw new StorageException("storage refused " + ref, null);
      }
      super.put(ref, bytes, contentType);
    }
  }
}
