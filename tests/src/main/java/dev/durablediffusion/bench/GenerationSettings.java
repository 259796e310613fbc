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
    return request(generationId, TENANT);
  }

  GenerationRequest request(String generationId, String tenant) {
    return GenerationRequest.builder(generationId, tenant)
        .prompt(prompt)
        .steps(steps)
        .seed(seed)
        .numImages(numImages)
        .priority(PRIORITY)
        .metadata(Map.of())
        .submittedAtMillis(System.currentTimeMillis())
        .build();
  }
}
