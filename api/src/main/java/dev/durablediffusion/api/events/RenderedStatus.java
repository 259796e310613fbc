package dev.durablediffusion.api.events;

import dev.durablediffusion.api.generation.GenerationResource;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import java.util.function.Supplier;

/** A status read once and rendered for clients at most once, by whichever stream needs it first. */
final class RenderedStatus implements Supplier<GenerationResource> {

  private final GenerationReads reads;
  private final GenerationStatus status;
  private GenerationResource rendered;

  RenderedStatus(GenerationReads reads, GenerationStatus status) {
    this.reads = reads;
    this.status = status;
  }

  GenerationStatus status() {
    return status;
  }

  @Override
  public synchronized GenerationResource get() {
    if (rendered == null) {
      rendered = reads.resource(status);
    }
    return rendered;
  }
}
