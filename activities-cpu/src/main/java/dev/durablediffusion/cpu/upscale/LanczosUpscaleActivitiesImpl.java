package dev.durablediffusion.cpu.upscale;

import dev.durablediffusion.model.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.LanczosUpscaleActivities;
import dev.durablediffusion.workflows.generation.StorageLayout;
import dev.durablediffusion.workflows.generation.UpscaleInput;
import dev.durablediffusion.workflows.generation.UpscaleResult;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Lanczos-3 upscaling on the CPU queue. */
public class LanczosUpscaleActivitiesImpl implements LanczosUpscaleActivities {

  private final ObjectStore store;
  private final LanczosResampler resampler = new LanczosResampler();

  public LanczosUpscaleActivitiesImpl(ObjectStore store) {
    this.store = store;
  }

  @Override
  public UpscaleResult upscaleLanczos(UpscaleInput input) {
    long start = System.nanoTime();
    int factor = input.upscale().factor();
    List<ImageRef> upscaled = new ArrayList<>();
    for (int i = 0; i < input.images().size(); i++) {
      ImageRef source = input.images().get(i);
      BufferedImage image =
          PngCodec.decode(
              store
                  .get(ObjectRef.parse(source.ref()))
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              source.ref() + " is missing from the work area")));
      BufferedImage larger =
          resampler.resize(image, image.getWidth() * factor, image.getHeight() * factor);
      byte[] png = PngCodec.encode(larger);
      String ref = StorageLayout.upscaled(input.generationId(), i);
      store.put(ObjectRef.parse(ref), png, PngCodec.CONTENT_TYPE);
      upscaled.add(
          new ImageRef(
              ref, larger.getWidth(), larger.getHeight(), source.seed(), Digests.sha256(png)));
    }
    return new UpscaleResult(upscaled, (System.nanoTime() - start) / 1_000_000);
  }
}
