package dev.durablediffusion.bench;

import dev.durablediffusion.workflows.generation.GenerationRequest;
import java.util.Map;

/**
 * The request every generation of the orchestration benchmark makes; the model's defaults fill the
 * rest.
 */
record GenerationSettings(String prompt, int steps, int numImages, long seed) {

  static final String TENANT = "bench";
  static final String PRIORITY = "interactive";

  GenerationRequest request(String generationId) {
    return new GenerationRequest(
        generationId,
        TENANT,
        prompt,
        null,
        null,
        null,
        null,
        steps,
        null,
        null,
        null,
        seed,
        numImages,
        null,
        null,
        PRIORITY,
        Map.of(),
        System.currentTimeMillis(),
        null,
        null);
  }
}
