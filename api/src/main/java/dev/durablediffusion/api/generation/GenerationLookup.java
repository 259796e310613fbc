package dev.durablediffusion.api.generation;

import dev.durablediffusion.api.events.GenerationReads;
import dev.durablediffusion.api.files.ImageLinks;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.RequestValidation;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading one of a tenant's generations; another tenant's answers exactly like an unknown id. An
 * ended one is read from storage, which is cheaper than a query (the worker replays the history)
 * and still works once the history is deleted.
 */
public class GenerationLookup implements GenerationReads {

  private final GenerationWorkflows workflows;
  private final GenerationIndex index;
  private final ImageLinks imageLinks;

  public GenerationLookup(
      GenerationWorkflows workflows, GenerationIndex index, ImageLinks imageLinks) {
    this.workflows = workflows;
    this.index = index;
    this.imageLinks = imageLinks;
  }

  /**
   * @throws GenerationNotFoundException for an unknown id or another tenant's
   */
  @Override
  public GenerationStatus status(String tenant, String id) {
    return index
        .finalStatus(tenant, id)
        .or(() -> queried(tenant, id))
        .orElseThrow(() -> new GenerationNotFoundException(id));
  }

  /**
   * The same, for a reader that saw the generation running a moment ago (an event stream's next
   * poll, a listing whose index entry has no outcome yet): the workflow is asked first, which its
   * worker answers from cache, and storage only once the workflow is gone. A poll that finds it
   * just ended costs one replay instead of a storage read on every poll.
   */
  @Override
  public GenerationStatus liveStatus(String tenant, String id) {
    return queried(tenant, id)
        .or(() -> index.finalStatus(tenant, id))
        .orElseThrow(() -> new GenerationNotFoundException(id));
  }

  private Optional<GenerationStatus> queried(String tenant, String id) {
    Optional<GenerationStatus> status = workflows.status(id);
    if (status.isPresent() && !tenant.equals(status.get().tenantId())) {
      throw new GenerationNotFoundException(id);
    }
    return status;
  }

  /** Where clients fetch the outputs, for every view of a generation. */
  ImageLinks imageLinks() {
    return imageLinks;
  }

  public GenerationResource resource(String tenant, String id) {
    return resource(status(tenant, id));
  }

  /** The status as clients see it, with the attempts of each webhook delivery it owes. */
  @Override
  public GenerationResource resource(GenerationStatus status) {
    return GenerationResource.of(status, webhookAttempts(status), imageLinks);
  }

  /** The status as clients see it, without asking for webhook attempts. */
  GenerationResource bareResource(GenerationStatus status) {
    return GenerationResource.of(status, Map.of(), imageLinks);
  }

  /** Waits up to {@code wait} for the generation to end; empty when it is still running then. */
  public Optional<GenerationResource> awaitEnd(String tenant, String id, Duration wait) {
    if (!workflows.awaitClose(id, wait)) {
      return Optional.empty();
    }
    return Optional.of(resource(tenant, id));
  }

  private Map<String, List<DeliveryAttempt>> webhookAttempts(GenerationStatus status) {
    Map<String, List<DeliveryAttempt>> attempts = new LinkedHashMap<>();
    if (status.plan() == null || status.plan().webhook() == null) {
      return attempts;
    }
    RequestValidation.EVENTS.stream()
        .filter(status.plan().webhook()::wants)
        .sorted()
        .forEach(
            event ->
                workflows
                    .deliveryAttempts(status.generationId(), event)
                    .ifPresent(made -> attempts.put(event, made)));
    return attempts;
  }
}
