package dev.durablediffusion.api.generation;

import dev.durablediffusion.api.limits.TooManyRequestsException;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.storage.index.IndexEntry;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.RequestValidation;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/** Submitting a generation: checked, admitted, started once, and listed for its tenant. */
public class GenerationSubmission {

  private final GenerationWorkflows workflows;
  private final ModelCatalog catalog;
  private final InitImageResolver initImages;
  private final GenerationIndex index;
  private final Function<String, List<FieldError>> webhookCheck;
  private final SubmissionLimits limits;
  private final SubmissionLog submissions;
  private final Clock clock;

  public GenerationSubmission(
      GenerationWorkflows workflows,
      ModelCatalog catalog,
      ObjectStore store,
      GenerationIndex index,
      Function<String, List<FieldError>> webhookCheck,
      SubmissionLimits limits,
      SubmissionLog submissions,
      Clock clock) {
    this.workflows = workflows;
    this.catalog = catalog;
    this.initImages = new InitImageResolver(store);
    this.index = index;
    this.webhookCheck = webhookCheck;
    this.limits = limits;
    this.submissions = submissions;
    this.clock = clock;
  }

  /**
   * Starts the generation, or finds the one this idempotency key already started: its workflow, or
   * the outcome storage keeps once the workflow's history is gone (a new Temporal server, or
   * retention), so an ended generation never runs again and its images never change. Nothing
   * starts when the request is invalid or the tenant is over its limits.
   *
   * @return the generation's id
   * @throws InvalidRequestException before anything starts, also for a webhook target the SSRF
   *     guard refuses
   * @throws TooManyRequestsException before anything starts
   */
  public String submit(String tenant, CreateGenerationBody body, String idempotencyKey) {
    String id = GenerationIds.of(tenant, idempotencyKey);
    InitImageResolver.Resolved init = initImages.resolve(tenant, id, body.initImage());
    GenerationRequest request = body.toRequest(id, tenant, clock.millis(), init.ref());
    List<FieldError> errors = RequestValidation.check(request, catalog);
    if (errors.isEmpty() && request.webhook() != null) {
      errors = webhookCheck.apply(request.webhook().url());
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    workflows.requireReachable();
    if (idempotencyKey != null && alreadySubmitted(tenant, id)) {
      return id;
    }
    limits.admit(tenant, RequestValidation.priority(request));
    initImages.store(init);
    if (!workflows.start(request)) {
      return id;
    }
    submissions.started(request);
    index.recordStarted(tenant, queued(request));
    return id;
  }

  private boolean alreadySubmitted(String tenant, String id) {
    return workflows.exists(id) || index.finalStatus(tenant, id).isPresent();
  }

  private static IndexEntry queued(GenerationRequest request) {
    return new IndexEntry(
        request.generationId(),
        GenerationState.QUEUED,
        request.submittedAtMillis(),
        RequestValidation.priority(request),
        null,
        request.prompt(),
        request.model(),
        request.metadata(),
        null,
        null);
  }
}
