package dev.durablediffusion.api.limits;

import dev.durablediffusion.storage.index.GenerationIndex;

/**
 * The backlog where the Temporal server cannot describe task queues (the embedded test server):
 * interactive generations started and not yet ended, across tenants, from the index's markers. It
 * counts running work too, so its limit is set above the GPU slots of the fleet.
 */
public class InFlightBacklog implements GpuBacklog {

  private final GenerationIndex index;

  public InFlightBacklog(GenerationIndex index) {
    this.index = index;
  }

  @Override
  public long interactiveDepth() {
    return index.inFlightWithPriority("interactive");
  }
}
