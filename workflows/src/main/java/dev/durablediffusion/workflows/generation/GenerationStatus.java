package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Everything a client may see about one generation, answered by the workflow's query at any moment.
 *
 * @param plan null until validation has passed
 * @param timingsMillis per stage, plus {@code activities} (the sum of activity execution times) and
 *     {@code total}
 * @param gpuHost the host queue of the GPU worker the denoise was routed to, for operators
 * @param revision grows with every change a client can see (stage, progress, end); event streams
 *     use it as the event id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GenerationStatus(
    String generationId,
    String tenantId,
    GenerationState state,
    Progress progress,
    GenerationPlan plan,
    List<ImageRef> outputs,
    GenerationError error,
    Map<String, Long> timingsMillis,
    boolean promptTruncated,
    boolean negativePromptTruncated,
    String modelDigest,
    String gpuHost,
    long createdAtMillis,
    Long finishedAtMillis,
    long revision) {

  /** This status as it stands once the generation has ended with these outputs and timings. */
  public GenerationStatus ended(
      List<ImageRef> outputs, long finishedAtMillis, Map<String, Long> timingsMillis) {
    return new GenerationStatus(
        generationId,
        tenantId,
        state,
        progress,
        plan,
        List.copyOf(outputs),
        error,
        Map.copyOf(timingsMillis),
        promptTruncated,
        negativePromptTruncated,
        modelDigest,
        gpuHost,
        createdAtMillis,
        finishedAtMillis,
        revision);
  }
}
