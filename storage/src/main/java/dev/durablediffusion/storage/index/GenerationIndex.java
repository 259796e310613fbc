package dev.durablediffusion.storage.index;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.storage.StorageException;
import dev.durablediffusion.workflows.generation.GenerationOutcome;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Each tenant's generations, newest first, kept in the outputs area because a Temporal server
 * without visibility cannot list workflows. Keys sort newest first: {@code
 * <tenant>/index/<Long.MAX_VALUE - submitted millis, 19 digits>-<generation id>.json}. A marker
 * under {@code <tenant>/active/} and one under {@code _active/<priority>/} exist while a generation
 * runs, so counting generations in flight, per tenant or per priority, reads only those. The
 * priority marker is written first and removed last, so a write or removal cut short never leaves
 * a tenant's marker that {@link #inFlightMarkers()} (which reads the priority markers) cannot find.
 *
 * <p>The API writes an entry when a generation starts and the workflow's close-out writes the final
 * one, plus the generation's final status next to its images ({@code
 * <tenant>/<id>/generation.json}), which the API serves once the workflow has ended, also after its
 * history is deleted. Entries are whole objects, so a reader never sees half an update.
 */
public class GenerationIndex {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(new JavaTimeModule());
  private static final String JSON_TYPE = "application/json";

  /** Entries read per listing call at most, whatever the filter. */
  public static final int MAX_SCAN = 500;

  private static final String PRIORITY_MARKERS = "_active/";

  private final ObjectStore store;

  public GenerationIndex(ObjectStore store) {
    this.store = store;
  }

  /** Records a generation that has just started, and marks it in flight. */
  public void recordStarted(String tenant, IndexEntry entry) {
    write(tenant, entry);
    store.put(priorityMarker(entry.priority(), tenant, entry.id()), new byte[0], JSON_TYPE);
    store.put(activeMarker(tenant, entry.id()), new byte[0], JSON_TYPE);
  }

  /** Records how a generation ended, keeping what the start recorded; idempotent. */
  public void recordOutcome(GenerationOutcome outcome) {
    ObjectRef ref =
        entryRef(outcome.tenantId(), outcome.submittedAtMillis(), outcome.generationId());
    Optional<IndexEntry> started = read(ref);
    write(
        outcome.tenantId(),
        new IndexEntry(
            outcome.generationId(),
            outcome.state(),
            outcome.submittedAtMillis(),
            outcome.priority(),
            outcome.finishedAtMillis(),
            outcome.prompt() != null
                ? outcome.prompt()
                : started.map(IndexEntry::prompt).orElse(null),
            outcome.model() != null ? outcome.model() : started.map(IndexEntry::model).orElse(null),
            outcome.metadata() != null
                ? outcome.metadata()
                : started.map(IndexEntry::metadata).orElse(Map.of()),
            outcome.outputs(),
            outcome.error()));
    if (outcome.finalStatus() != null) {
      try {
        store.put(
            finalStatusRef(outcome.tenantId(), outcome.generationId()),
            JSON.writeValueAsBytes(outcome.finalStatus()),
            JSON_TYPE);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(
            "final status of " + outcome.generationId() + " cannot be written", e);
      }
    }
    store.delete(activeMarker(outcome.tenantId(), outcome.generationId()));
    store.delete(priorityMarker(outcome.priority(), outcome.tenantId(), outcome.generationId()));
  }

  /**
   * The status a generation of this tenant ended with; empty while it runs, when it is another
   * tenant's, or when it is unknown.
   */
  public Optional<GenerationStatus> finalStatus(String tenant, String generationId) {
    ObjectRef ref;
    try {
      ref = finalStatusRef(tenant, generationId);
    } catch (IllegalArgumentException notAKey) {
      return Optional.empty();
    }
    return read(ref, GenerationStatus.class);
  }

  /** Replaces the entry; used to settle an entry whose close-out raced with its start. */
  public void write(String tenant, IndexEntry entry) {
    try {
      store.put(
          entryRef(tenant, entry.submittedAtMillis(), entry.id()),
          JSON.writeValueAsBytes(entry),
          JSON_TYPE);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("index entry of " + entry.id() + " cannot be written", e);
    }
  }

  /** How many of the tenant's generations are in flight. */
  public int inFlight(String tenant) {
    return store.list(StorageArea.OUTPUTS, tenant + "/active/").size();
  }

  /** How many generations of this priority are in flight, across tenants. */
  public int inFlightWithPriority(String priority) {
    return store.list(StorageArea.OUTPUTS, PRIORITY_MARKERS + priority + "/").size();
  }

  /** A generation marked in flight: its priority marker, and the tenant marker beside it. */
  public record InFlightMarker(String priority, String tenant, String generationId) {}

  /**
   * Every generation marked in flight, read from the priority markers. A tenant id may hold dots,
   * so {@code <tenant>.<id>} is split where the tenant's own marker exists.
   */
  public List<InFlightMarker> inFlightMarkers() {
    List<InFlightMarker> markers = new ArrayList<>();
    for (String key : store.list(StorageArea.OUTPUTS, PRIORITY_MARKERS)) {
      String[] priorityAndName = key.substring(PRIORITY_MARKERS.length()).split("/", 2);
      if (priorityAndName.length == 2) {
        marker(priorityAndName[0], priorityAndName[1]).ifPresent(markers::add);
      }
    }
    return markers;
  }

  private Optional<InFlightMarker> marker(String priority, String name) {
    InFlightMarker fallback = null;
    for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
      InFlightMarker candidate =
          new InFlightMarker(priority, name.substring(0, dot), name.substring(dot + 1));
      if (store.exists(activeMarker(candidate.tenant(), candidate.generationId()))) {
        return Optional.of(candidate);
      }
      if (fallback == null) {
        fallback = candidate;
      }
    }
    return Optional.ofNullable(fallback);
  }

  /** Removes both markers of a generation that no longer runs, so it stops counting. */
  public void clearInFlight(InFlightMarker marker) {
    store.delete(activeMarker(marker.tenant(), marker.generationId()));
    store.delete(priorityMarker(marker.priority(), marker.tenant(), marker.generationId()));
  }

  /** Up to {@code limit} entries, newest first, after {@code cursor} (null for the start). */
  public Page page(String tenant, String cursor, int limit) {
    return page(tenant, cursor, limit, UnaryOperator.identity(), entry -> true);
  }

  /**
   * Up to {@code limit} entries that {@code keep} accepts, newest first, after the position {@code
   * cursor} names (null for the start). Each entry passes through {@code refresh} first, so a
   * caller can replace stale running entries with live state. At most {@link #MAX_SCAN} entries are
   * read per call; a page can then be short and still carry a cursor.
   *
   * @throws IllegalArgumentException when the cursor was not made by this index
   */
  public Page page(
      String tenant,
      String cursor,
      int limit,
      UnaryOperator<IndexEntry> refresh,
      Predicate<IndexEntry> keep) {
    String prefix = tenant + "/index/";
    List<String> keys = store.list(StorageArea.OUTPUTS, prefix);
    int next = 0;
    if (cursor != null) {
      String after = prefix + decodeCursor(cursor);
      while (next < keys.size() && keys.get(next).compareTo(after) <= 0) {
        next++;
      }
    }
    List<IndexEntry> entries = new ArrayList<>();
    int scanned = 0;
    while (next < keys.size() && entries.size() < limit && scanned < MAX_SCAN) {
      Optional<IndexEntry> entry = read(new ObjectRef(StorageArea.OUTPUTS, keys.get(next)));
      next++;
      scanned++;
      entry.map(refresh).filter(keep).ifPresent(entries::add);
    }
    String nextCursor =
        next > 0 && next < keys.size()
            ? encodeCursor(keys.get(next - 1).substring(prefix.length()))
            : null;
    return new Page(entries, nextCursor);
  }

  /** One page of a listing; {@code nextCursor} is null on the last page. */
  public record Page(List<IndexEntry> entries, String nextCursor) {}

  private Optional<IndexEntry> read(ObjectRef ref) {
    return read(ref, IndexEntry.class);
  }

  private <T> Optional<T> read(ObjectRef ref, Class<T> type) {
    return store
        .get(ref)
        .map(
            bytes -> {
              try {
                return JSON.readValue(bytes, type);
              } catch (IOException e) {
                throw new StorageException(
                    ref, ref + " is not a readable " + type.getSimpleName(), e);
              }
            });
  }

  private static ObjectRef entryRef(String tenant, long submittedAtMillis, String id) {
    return new ObjectRef(
        StorageArea.OUTPUTS,
        String.format("%s/index/%019d-%s.json", tenant, Long.MAX_VALUE - submittedAtMillis, id));
  }

  /** Tenant ids cannot start with '_', so this prefix never meets a tenant's keys. */
  private static ObjectRef priorityMarker(String priority, String tenant, String id) {
    return new ObjectRef(
        StorageArea.OUTPUTS, PRIORITY_MARKERS + priority + "/" + tenant + "." + id);
  }

  private static ObjectRef finalStatusRef(String tenant, String id) {
    return new ObjectRef(StorageArea.OUTPUTS, tenant + "/" + id + "/generation.json");
  }

  private static ObjectRef activeMarker(String tenant, String id) {
    return new ObjectRef(StorageArea.OUTPUTS, tenant + "/active/" + id);
  }

  private static String encodeCursor(String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    String position;
    try {
      position = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cursor is not one this API returned", e);
    }
    if (!position.matches("\\d{19}-[A-Za-z0-9_.-]{1,128}\\.json")) {
      throw new IllegalArgumentException("cursor is not one this API returned");
    }
    return position;
  }
}
