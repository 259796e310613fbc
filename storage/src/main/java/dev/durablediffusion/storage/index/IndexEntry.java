package dev.durablediffusion.storage.index;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.durablediffusion.workflows.generation.GenerationError;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.ImageRef;
import java.util.List;
import java.util.Map;

/**
 * One generation in its tenant's index: enough to list it, and to show it once the workflow's
 * history has been deleted.
 *
 * @param state the last state recorded; anything but a terminal state may be stale
 * @param priority {@code interactive} or {@code batch}
 * @param model null when the default model was asked for and validation has not run
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IndexEntry(
    String id,
    GenerationState state,
    long submittedAtMillis,
    String priority,
    Long finishedAtMillis,
    String prompt,
    String model,
    Map<String, String> metadata,
    List<ImageRef> outputs,
    GenerationError error) {

  /** Prompts are kept whole in the workflow; the index keeps enough to recognise one. */
  public static final int PROMPT_CHARS = 200;

  public IndexEntry {
    prompt =
        prompt == null || prompt.length() <= PROMPT_CHARS
            ? prompt
            : prompt.substring(0, PROMPT_CHARS);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  public boolean finished() {
    return state.terminal();
  }
}
