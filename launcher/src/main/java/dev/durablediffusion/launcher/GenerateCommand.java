package dev.durablediffusion.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.RequestValidation;
import dev.durablediffusion.workflows.generation.TaskQueues;
import dev.durablediffusion.workflows.generation.UpscaleSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * {@code generate --prompt TEXT [--negative-prompt TEXT] [--model M] [--steps N] [--guidance G]
 * [--sampler S] [--eta E] [--seed N] [--num-images N] [--upscale FACTOR[:METHOD]] [--out DIR]}: one
 * generation through the workflow; prints JSON with the id, the sampler and eta that ran, the
 * written files, seeds and timings.
 */
@Component
@Profile("generate")
public class GenerateCommand {

  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private final WorkflowClient client;
  private final ModelCatalog catalog;
  private final ObjectStore store;

  public GenerateCommand(WorkflowClient client, ModelCatalog catalog, ObjectStore store) {
    this.client = client;
    this.catalog = catalog;
    this.store = store;
  }

  public int run(String[] args) throws IOException {
    Map<String, String> options = options(args);
    String id = "gen_" + UUID.randomUUID().toString().replace("-", "");
    GenerationRequest request =
        GenerationRequest.builder(id, "cli")
            .prompt(options.get("prompt"))
            .negativePrompt(options.get("negative-prompt"))
            .model(options.get("model"))
            .width(integer(options, "width"))
            .height(integer(options, "height"))
            .steps(integer(options, "steps"))
            .guidanceScale(
                options.containsKey("guidance") ? Double.valueOf(options.get("guidance")) : null)
            .sampler(options.get("sampler"))
            .eta(options.containsKey("eta") ? Double.valueOf(options.get("eta")) : null)
            .seed(options.containsKey("seed") ? Long.valueOf(options.get("seed")) : null)
            .numImages(integer(options, "num-images"))
            .upscale(upscale(options.get("upscale")))
            .priority("interactive")
            .metadata(Map.of())
            .submittedAtMillis(System.currentTimeMillis())
            .build();
    List<FieldError> errors = RequestValidation.check(request, catalog);
    if (!errors.isEmpty()) {
      errors.forEach(e -> System.err.println("invalid " + e));
      return 2;
    }
    GenerationWorkflow workflow =
        client.newWorkflowStub(
            GenerationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
    GenerationStatus status;
    try {
      status = workflow.generate(request);
    } catch (WorkflowFailedException e) {
      System.err.println(
          "generation failed: "
              + client.newWorkflowStub(GenerationWorkflow.class, id).status().error());
      return 1;
    }
    Path out = Path.of(options.getOrDefault("out", "."));
    Files.createDirectories(out);
    List<Map<String, Object>> files = new ArrayList<>();
    for (int i = 0; i < status.outputs().size(); i++) {
      ImageRef image = status.outputs().get(i);
      Path file = out.resolve(id + "-" + i + ".png");
      Files.write(file, store.get(ObjectRef.parse(image.ref())).orElseThrow());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("path", file.toString());
      entry.put("seed", image.seed());
      entry.put("width", image.width());
      entry.put("height", image.height());
      entry.put("sha256", image.sha256());
      files.add(entry);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", id);
    result.put("seed", status.plan().seed());
    result.put("sampler", status.plan().sampler());
    result.put("eta", status.plan().eta());
    result.put("model_digest", status.modelDigest());
    result.put("outputs", files);
    result.put("timings_ms", status.timingsMillis());
    System.out.println(JSON.writeValueAsString(result));
    return 0;
  }

  /**
   * {@code --name value} pairs; {@code --property=value} arguments belong to Spring and are
   * skipped.
   */
  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--") && args[i].contains("=")) {
        continue;
      }
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  private static Integer integer(Map<String, String> options, String name) {
    return options.containsKey(name) ? Integer.valueOf(options.get(name)) : null;
  }

  private static UpscaleSpec upscale(String value) {
    if (value == null) {
      return null;
    }
    String[] parts = value.split(":", 2);
    return new UpscaleSpec(
        Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : UpscaleSpec.LANCZOS);
  }
}
