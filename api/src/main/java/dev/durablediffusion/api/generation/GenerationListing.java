package dev.durablediffusion.api.generation;

import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.storage.index.IndexEntry;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's generations, newest first, from its generation index. Entries the index still shows
 * running are read live, and settled in the index once they have ended (a close-out that raced the
 * start).
 */
public class GenerationListing {

  /** Largest page of a listing. */
  public static final int MAX_PAGE = 100;

  private final GenerationIndex index;
  private final GenerationLookup lookup;

  public GenerationListing(GenerationIndex index, GenerationLookup lookup) {
    this.index = index;
    this.lookup = lookup;
  }

  /**
   * @param status only generations in this state (lowercase state name), or null for all
   * @throws InvalidRequestException naming each of {@code limit}, {@code status} and {@code cursor}
   *     that is wrong
   */
  public GenerationSummary.Page list(String tenant, int limit, String cursor, String status) {
    List<FieldError> errors = new ArrayList<>();
    if (limit < 1 || limit > MAX_PAGE) {
      errors.add(new FieldError("limit", "must be between 1 and " + MAX_PAGE));
    }
    Optional<GenerationState> wanted = Optional.ofNullable(status).flatMap(GenerationListing::state);
    if (status != null && wanted.isEmpty()) {
      errors.add(
          new FieldError(
              "status",
              "must be one of "
                  + Arrays.stream(GenerationState.values())
                      .map(s -> s.name().toLowerCase())
                      .toList()));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    GenerationIndex.Page page;
    try {
      page =
          index.page(
              tenant,
              cursor,
              limit,
              entry -> entry.finished() ? entry : live(tenant, entry),
              entry -> wanted.isEmpty() || entry.state() == wanted.get());
    } catch (IllegalArgumentException badCursor) {
      throw new InvalidRequestException(List.of(new FieldError("cursor", badCursor.getMessage())));
    }
    return new GenerationSummary.Page(
        page.entries().stream().map(e -> GenerationSummary.of(tenant, e, lookup.imageLinks())).toList(),
        page.nextCursor());
  }

  private static Optional<GenerationState> state(String name) {
    return Arrays.stream(GenerationState.values())
        .filter(s -> s.name().equalsIgnoreCase(name))
        .findFirst();
  }

  /** The index says running, so the workflow is asked first ({@link GenerationLookup#liveStatus}). */
  private IndexEntry live(String tenant, IndexEntry entry) {
    GenerationStatus s;
    try {
      s = lookup.liveStatus(tenant, entry.id());
    } catch (RuntimeException unavailable) {
      // Gone, or its workflow cannot answer now (no worker, a replay failing): the index's view.
      return entry;
    }
    IndexEntry current =
        new IndexEntry(
            entry.id(),
            s.state(),
            entry.submittedAtMillis(),
            entry.priority(),
            s.finishedAtMillis(),
            entry.prompt(),
            s.plan() == null ? entry.model() : s.plan().model(),
            entry.metadata(),
            s.outputs(),
            s.error());
    if (current.finished()) {
      index.write(tenant, current);
    }
    return current;
  }
}
