package dev.durablediffusion.api.generation;

import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The generation workflows as the API's use cases need them. Every call but {@link
 * #requireReachable} fails with {@link TemporalUnavailableException} while the server cannot be
 * asked, so nothing is judged absent then.
 */
public interface GenerationWorkflows {

  /** Fails fast while the server is unreachable, before anything is admitted or stored. */
  void requireReachable();

  /** Starts the generation's workflow; false when a workflow with its id already exists. */
  boolean start(GenerationRequest request);

  /** Whether the server knows the workflow, running or closed (until its retention ends). */
  boolean exists(String generationId);

  /** The workflow's answer to its status query; empty when the server does not know it. */
  Optional<GenerationStatus> status(String generationId);

  /** Waits up to {@code wait} for the workflow to close; false when it still runs then. */
  boolean awaitClose(String generationId, Duration wait);

  void requestCancel(String generationId);

  /** The attempts of one webhook delivery; empty when that delivery has not started. */
  Optional<List<DeliveryAttempt>> deliveryAttempts(String generationId, String event);
}
