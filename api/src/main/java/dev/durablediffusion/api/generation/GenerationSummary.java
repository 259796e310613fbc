package dev.durablediffusion.api.generation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.durablediffusion.api.files.ImageLinks;
import dev.durablediffusion.storage.index.IndexEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A generation in a listing: what the tenant's index keeps, with signed image URLs. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationSummary(
    String id,
    String url,
    String status,
    Instant createdAt,
    Instant finishedAt,
    String prompt,
    String model,
    Map<String, String> metadata,
    List<GenerationResource.Output> outputs,
    GenerationResource.ErrorView error) {

  static GenerationSummary of(String tenant, IndexEntry e, ImageLinks imageLinks) {
    return new GenerationSummary(
        e.id(),
        "/v1/generations/" + e.id(),
        e.state().name().toLowerCase(),
        Instant.ofEpochMilli(e.submittedAtMillis()),
        e.finishedAtMillis() == null ? null : Instant.ofEpochMilli(e.finishedAtMillis()),
        e.prompt(),
        e.model(),
        e.metadata(),
        GenerationResource.Output.of(tenant, e.id(), e.outputs(), imageLinks),
        e.error() == null ? null : GenerationResource.ErrorView.of(e.error()));
  }

  /** One page, newest first; pass {@code next_cursor} back as {@code cursor} for the next. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Page(List<GenerationSummary> data, String nextCursor) {}
}
