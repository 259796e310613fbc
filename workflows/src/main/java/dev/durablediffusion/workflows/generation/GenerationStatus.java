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
 * @param gpuHosts every GPU host the denoise was prepared on, in order; null in statuses of
 *     generations that ended before it was kept
 * @param resumedFromStep the step the finishing denoise attempt continued from, from a checkpoint
 *     an attempt on a lost or drained host left; null when it ran every step
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
    List<String> gpuHosts,
    Integer resumedFromStep,
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
        gpuHosts,
        resumedFromStep,
        createdAtMillis,
        finishedAtMillis,
        revision);
  }
}
