package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * How a generation ended, as its tenant's generation index keeps it after the workflow's history is
 * gone.
 *
 * @param priority {@code interactive} or {@code batch}
 * @param model the requested model (or null for the default) when validation failed
 * @param error null unless it failed
 * @param finalStatus what a client reads about the generation from now on
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerationOutcome(
    String tenantId,
    String generationId,
    long submittedAtMillis,
    String priority,
    GenerationState state,
    String prompt,
    String model,
    Map<String, String> metadata,
    List<ImageRef> outputs,
    GenerationError error,
    long finishedAtMillis,
    GenerationStatus finalStatus) {

  /** This outcome with the final status that completes it: its outputs and its end. */
  public GenerationOutcome ended(GenerationStatus status) {
    return new GenerationOutcome(
        tenantId,
        generationId,
        submittedAtMillis,
        priority,
        state,
        prompt,
        model,
        metadata,
        status.outputs(),
        error,
        status.finishedAtMillis(),
        status);
  }
}
