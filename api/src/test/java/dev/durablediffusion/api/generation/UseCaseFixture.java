package dev.durablediffusion.api.generation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.api.files.ImageLinks;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.workflows.generation.GenerationOutcome;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.RequestValidation;
import dev.durablediffusion.workflows.generation.WebhookSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The API's use cases over a real filesystem store and generation index, with the workflows held
 * in memory.
 */
final class UseCaseFixture {

  static final ImageLinks LINKS = (tenant, id, index) -> "/files/" + id + "/" + index;
  private static final ObjectMapper JSON = new ObjectMapper();

  final FilesystemObjectStore store;
  final GenerationIndex index;
  final FakeGenerationWorkflows workflows = new FakeGenerationWorkflows();
  final ModelCatalog catalog;
  final GenerationLookup lookup;

  UseCaseFixture(Path root) {
    store = new FilesystemObjectStore(root);
    index = new GenerationIndex(store);
    catalog = tinyShapes();
    lookup = new GenerationLookup(workflows, index, LINKS);
  }

  private static ModelCatalog tinyShapes() {
    try {
      byte[] manifest =
          Files.readAllBytes(
              Path.of("..", "workflows", "src", "test", "resources", "tiny-shapes-manifest.json"));
      return new ModelCatalog(List.of(BundleManifests.parse(manifest, "test")), "tiny-shapes");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CreateGenerationBody body(String json) {
    try {
      return JSON.readValue(json, CreateGenerationBody.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plan validation makes of a request, with a webhook for these events when given. */
  GenerationPlan plan(String tenant, String id, List<String> webhookEvents) {
    GenerationRequest request =
        GenerationRequest.builder(id, tenant)
            .prompt("a red circle")
            .webhook(
                webhookEvents == null
                    ? null
                    : new WebhookSpec("https://hooks.example.com/in", webhookEvents))
            .build();
    return RequestValidation.plan(request, catalog, 7, null);
  }

  /** Records in the index how the generation ended, as the store step's close-out does. */
  void recordEnded(GenerationStatus ended) {
    GenerationPlan plan =
        ended.plan() == null ? plan(ended.tenantId(), ended.generationId(), null) : ended.plan();
    index.recordOutcome(
        new GenerationOutcome(
            ended.tenantId(),
            ended.generationId(),
            ended.createdAtMillis(),
            plan.priority(),
            ended.state(),
            plan.prompt(),
            plan.model(),
            Map.of(),
            ended.outputs(),
            ended.error(),
            ended.finishedAtMillis(),
            ended));
  }

  static GenerationStatus succeeded(String tenant, String id, int images) {
    List<ImageRef> outputs =
        IntStream.range(0, images)
            .mapToObj(
                i ->
                    new ImageRef(
                        "outputs/" + tenant + "/" + id + "/image-" + i + ".png", 8, 8, 7, "sha"))
            .toList();
    return GenerationStatuses.of(tenant, id, GenerationState.SUCCEEDED, null, null, outputs, 9);
  }
}
