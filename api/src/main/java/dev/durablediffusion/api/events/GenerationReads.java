package dev.durablediffusion.api.events;

import dev.durablediffusion.api.generation.GenerationResource;
import dev.durablediffusion.workflows.generation.GenerationStatus;

/** What event streams read of a generation. */
public interface GenerationReads {

  /** The status for a new stream; fails with not-found for an unknown or foreign id. */
  GenerationStatus status(String tenant, String id);

  /** The status for a stream that saw the generation running a moment ago. */
  GenerationStatus liveStatus(String tenant, String id);

  /** The status as clients see it. */
  GenerationResource resource(GenerationStatus status);
}
