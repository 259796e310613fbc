package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.ModelUpscaler;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.GenerationFailures;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.ModelUpscaleActivities;
import dev.durablediffusion.workflows.generation.StorageLayout;
import dev.durablediffusion.workflows.generation.UpscaleInput;
import dev.durablediffusion.workflows.generation.UpscaleResult;
import io.temporal.activity.Activity;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Upscales through an {@code upscaler} bundle on the shared GPU queue. */
public class ModelUpscaleActivitiesImpl implements ModelUpscaleActivities {

  private final ModelProvider models;
  private final ObjectStore store;

  ModelUpscaleActivitiesImpl(ModelProvider models, ObjectStore store) {
    this.models = models;
    this.store = store;
  }

  @Override
  public UpscaleResult upscaleWithModel(UpscaleInput input) {
    long start = System.nanoTime();
    try (ModelProvider.Acquired acquired = models.acquire(input.upscale().method())) {
      if (!acquired.cached().bundle().manifest().isUpscaler()) {
        throw GenerationFailures.invalidRequest(
            List.of(
                new FieldError(
                    "upscale.method", "'" + input.upscale().method() + "' is not an upscaler")));
      }
      ModelUpscaler upscaler = acquired.model();
      if (upscaler.scale() != input.upscale().factor()) {
        throw GenerationFailures.invalidRequest(
            List.of(
                new FieldError(
                    "upscale.factor",
                    "model " + input.upscale().method() + " upscales by " + upscaler.scale())));
      }
      List<ImageRef> upscaled = new ArrayList<>();
      for (int i = 0; i < input.images().size(); i++) {
        Activity.getExecutionContext().heartbeat(i);
        ImageRef source = input.images().get(i);
        BufferedImage image =
            PngCodec.decode(
                store
                    .get(ObjectRef.parse(source.ref()))
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                source.ref() + " is missing from the work area")));
        byte[] png = PngCodec.encode(upscaler.upscale(image));
        String ref = StorageLayout.upscaled(input.generationId(), i);
        store.put(ObjectRef.parse(ref), png, PngCodec.CONTENT_TYPE);
        upscaled.add(
            new ImageRef(
                ref,
                image.getWidth() * upscaler.scale(),
                image.getHeight() * upscaler.scale(),
                source.seed(),
                Digests.sha256(png)));
      }
      return new UpscaleResult(upscaled, (System.nanoTime() - start) / 1_000_000);
    }
  }
}
