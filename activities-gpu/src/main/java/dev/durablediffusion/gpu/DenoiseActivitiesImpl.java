package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.Denoiser;
import dev.durablediffusion.engine.DiffusionModel;
import dev.durablediffusion.engine.GeneratedImage;
import dev.durablediffusion.engine.GenerationOutput;
import dev.durablediffusion.engine.GenerationSpec;
import dev.durablediffusion.engine.InvalidGenerationException;
import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.gpu.checkpoint.DenoiseCheckpoints;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.DenoiseActivities;
import dev.durablediffusion.workflows.generation.DenoiseInput;
import dev.durablediffusion.workflows.generation.DenoiseResult;
import dev.durablediffusion.workflows.generation.GenerationFailures;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.StorageLayout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on this host's own queue, where {@link ModelActivitiesImpl} made the model warm, continuing
 * from the generation's checkpoint when an earlier attempt left one.
 */
public class DenoiseActivitiesImpl implements DenoiseActivities {

  private static final Logger log = LoggerFactory.getLogger(DenoiseActivitiesImpl.class);

  private final ModelProvider models;
  private final Denoiser denoiser;
  private final ObjectStore store;
  private final HostTaskQueue hostQueue;
  private final ProgressReports progressReports;
  private final DenoiseCheckpoints checkpoints;
  private final MeterRegistry registry;

  DenoiseActivitiesImpl(
      ModelProvider models,
      Denoiser denoiser,
      ObjectStore store,
      ProgressReports progressReports,
      DenoiseCheckpoints checkpoints,
      HostTaskQueue hostQueue,
      MeterRegistry registry) {
    this.models = models;
    this.denoiser = denoiser;
    this.store = store;
    this.progressReports = progressReports;
    this.checkpoints = checkpoints;
    this.hostQueue = hostQueue;
    this.registry = registry;
  }

  @Override
  public DenoiseResult denoise(DenoiseInput input) {
    long start = System.nanoTime();
    GenerationPlan plan = input.plan();
    ActivityExecutionContext context = Activity.getExecutionContext();
    try (ModelProvider.Acquired acquired = models.acquire(plan.model())) {
      GenerationSpec spec =
          GenerationSpec.textToImage(
                  plan.prompt(),
                  plan.negativePrompt(),
                  plan.width(),
                  plan.height(),
                  plan.steps(),
                  plan.guidanceScale(),
                  plan.sampler(),
                  plan.seed(),
                  plan.numImages())
              .withEta(plan.eta())
              .withPreviews(progressReports.previews());
      if (plan.initImageRef() != null) {
        spec = spec.withInitImage(initImage(plan.initImageRef()), plan.strength());
      }
      DenoiseCheckpoint checkpoint = checkpoints.latest(plan.generationId()).orElse(null);
      ProgressReporter reporter =
          progressReports.start(
              context,
              plan.generationId(),
              plan.model(),
              checkpoint == null ? 0 : checkpoint.nextStep());
      GenerationOutput output =
          generate(acquired.<DiffusionModel>model(), spec, reporter, checkpoint);
      if (output.resumeRefused() != null) {
        log.warn(
            "checkpoint of {} not resumed, the denoise ran from its first step: {}",
            plan.generationId(),
            output.resumeRefused());
      } else if (output.resumedFromStep() != null) {
        log.info("denoise of {} resumed at step {}", plan.generationId(), output.resumedFromStep());
      }
      List<ImageRef> images = new ArrayList<>();
      for (int i = 0; i < output.images().size(); i++) {
        images.add(write(plan, i, output.images().get(i)));
      }
      Counter.builder("dd.images.generated")
          .description("images decoded by the denoise step")
          .tag("model", plan.model())
          .register(registry)
          .increment(images.size());
      return new DenoiseResult(
          images,
          output.promptTruncated(),
          output.negativePromptTruncated(),
          (System.nanoTime() - start) / 1_000_000,
          hostQueue.name(),
          output.resumedFromStep());
    }
  }

  private GenerationOutput generate(
      DiffusionModel model,
      GenerationSpec spec,
      ProgressReporter reporter,
      DenoiseCheckpoint checkpoint) {
    try {
      return denoiser.generate(model, spec, reporter, checkpoint);
    } catch (InvalidGenerationException e) {
      throw GenerationFailures.invalidRequest(e.errors());
    }
  }

  /** The img2img start image; one that is gone or unreadable fails the generation as invalid. */
  private BufferedImage initImage(String ref) {
    byte[] bytes =
        store
            .get(ObjectRef.parse(ref))
            .orElseThrow(
                () ->
                    GenerationFailures.invalidRequest(
                        List.of(new FieldError("init_image", "is no longer in storage"))));
    try {
      return PngCodec.decode(bytes);
    } catch (RuntimeException e) {
      throw GenerationFailures.invalidRequest(
          List.of(new FieldError("init_image", "is not a readable image")));
    }
  }

  private ImageRef write(GenerationPlan plan, int index, GeneratedImage image) {
    byte[] png = PngCodec.encode(image.image());
    String ref = StorageLayout.denoised(plan.generationId(), index);
    store.put(ObjectRef.parse(ref), png, PngCodec.CONTENT_TYPE);
    return new ImageRef(
        ref,
        image.image().getWidth(),
        image.image().getHeight(),
        image.seed(),
        Digests.sha256(png));
  }
}
