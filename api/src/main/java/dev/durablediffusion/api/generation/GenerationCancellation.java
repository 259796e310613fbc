package dev.durablediffusion.api.generation;

import dev.durablediffusion.workflows.generation.GenerationStatus;

/** Canceling a tenant's running generation. */
public class GenerationCancellation {

  private final GenerationWorkflows workflows;
  private final GenerationLookup lookup;

  public GenerationCancellation(GenerationWorkflows workflows, GenerationLookup lookup) {
    this.workflows = workflows;
    this.lookup = lookup;
  }

  /**
   * Asks the workflow to cancel; it ends as {@code canceled} once the running stage has stopped.
   *
   * @return the generation as it stands just after the request
   * @throws GenerationFinishedException when it has already ended
   * @throws GenerationNotFoundException for an unknown id or another tenant's
   */
  public GenerationResource cancel(String tenant, String id) {
    GenerationStatus status = lookup.status(tenant, id);
    if (status.state().terminal()) {
      throw new GenerationFinishedException(id, status.state().name().toLowerCase());
    }
    workflows.requestCancel(id);
    return lookup.bareResource(lookup.status(tenant, id));
  }
}
