package dev.durablediffusion.cpu.webhook;

import dev.durablediffusion.workflows.generation.GenerationError;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generation as a webhook receiver sees it: what the API shows a client, without the
 * deployment's internals (queues, hosts, retry settings, storage keys).
 */
record WebhookGeneration(
    String id,
    String status,
    String model,
    String modelDigest,
    Long seed,
    Instant createdAt,
    Instant finishedAt,
    List<Output> outputs,
    GenerationError error,
    Map<String, Long> timingsMs,
    Map<String, String> metadata) {

  record Output(String url, int width, int height, long seed, String sha256) {}

  static WebhookGeneration of(GenerationStatus s) {
    List<Output> outputs = new ArrayList<>();
    for (int i = 0; i < s.outputs().size(); i++) {
      ImageRef image = s.outputs().get(i);
      outputs.add(
          new Output(
              "/v1/generations/" + s.generationId() + "/images/" + i,
              image.width(),
              image.height(),
              image.seed(),
              image.sha256()));
    }
    return new WebhookGeneration(
        s.generationId(),
        s.state().name().toLowerCase(),
        s.plan() == null ? null : s.plan().model(),
        s.modelDigest(),
        s.plan() == null ? null : s.plan().seed(),
        Instant.ofEpochMilli(s.createdAtMillis()),
        s.finishedAtMillis() == null ? null : Instant.ofEpochMilli(s.finishedAtMillis()),
        outputs,
        s.error(),
        s.timingsMillis(),
        s.plan() == null ? Map.of() : s.plan().metadata());
  }
}
