package dev.durablediffusion.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.durablediffusion.engine.Denoiser;
import dev.durablediffusion.engine.DiffusionModel;
import dev.durablediffusion.engine.GenerationOutput;
import dev.durablediffusion.engine.GenerationSpec;
import dev.durablediffusion.engine.ModelUpscaler;
import dev.durablediffusion.engine.StepListener;
import dev.durablediffusion.engine.bundle.BundleVerifier;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.gpu.GpuDevice;
import dev.durablediffusion.model.BundleManifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The engine on one device, as the GPU worker runs it: the judge's prompt set to PNGs, an upscale,
 * and whole-generation times. The images are judged and compared between devices by {@code
 * tools/device_images.py}; {@code docs/benchmarks.md} says how the CUDA check runs.
 *
 * <p>Arguments as {@code --name value}: {@code --device} (cpu; or cuda:N), {@code --cases FILE}
 * (from {@code tools/device_images.py cases}), {@code --out DIR}, {@code --bundle DIR} (the shipped
 * {@code tiny-shapes}), {@code --upscaler DIR} (the shipped {@code tiny-upscaler-x4} in this
 * checkout), {@code --batch-sizes LIST} (1,4,16), {@code --runs N} (20).
 */
public final class EngineDeviceCheck {

  private static final Set<String> FLAGS =
      Set.of("device", "cases", "out", "bundle", "upscaler", "batch-sizes", "runs");
  private static final String SAMPLER = "ddim";
  private static final int WARMUP = 3;

  private final DiffusionModel model;
  private final Denoiser denoiser = new Denoiser();

  private EngineDeviceCheck(DiffusionModel model) {
    this.model = model;
  }

  public static void main(String[] args) throws IOException {
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    System.setProperty("ai.djl.offline", "true");
    Device device = GpuDevice.parse(flags.text("device", "cpu"));
    Path out = Path.of(flags.text("out", "device-check"));
    Files.createDirectories(out);
    VerifiedBundle bundle = ShippedBundle.resolve(flags.text("bundle", null));
    try (DiffusionModel model = DiffusionModel.load(bundle, device)) {
      System.out.printf(
          "%s %s (dtype %s) on %s; DJL PyTorch %s, %d GPU(s) visible%n",
          bundle.name(),
          bundle.manifest().version(),
          bundle.manifest().dtype(),
          device,
          Engine.getEngine("PyTorch").getVersion(),
          Engine.getEngine("PyTorch").getGpuCount());
      EngineDeviceCheck check = new EngineDeviceCheck(model);
      Path cases = Path.of(flags.text("cases", "cases.tsv"));
      BufferedImage first = check.writeImages(cases, out);
      check.upscale(
          first,
          Path.of(
              flags.text("upscaler", "engine/src/main/resources/models/tiny-upscaler-x4")),
          device,
          out);
      for (int batch : flags.integers("batch-sizes", "1,4,16")) {
        Distribution millis = check.generationMillis(batch, flags.integer("runs", 20));
        System.out.printf(
            "whole generation, %d image(s): median %.1f ms, min %.1f ms, %.1f images/s%n",
            batch, millis.median(), millis.min(), batch * 1000 / millis.median());
      }
    }
  }

  /** One PNG per case, named by its index; returns the first image. */
  private BufferedImage writeImages(Path cases, Path out) throws IOException {
    List<String> lines = Files.readAllLines(cases, StandardCharsets.UTF_8);
    Files.write(out.resolve("cases.tsv"), lines, StandardCharsets.UTF_8);
    BufferedImage first = null;
    long started = System.nanoTime();
    for (String line : lines) {
      String[] fields = line.split("\t");
      BufferedImage image =
          generate(fields[1], Long.parseLong(fields[2]), 1).images().get(0).image();
      ImageIO.write(
          image,
          "png",
          out.resolve(String.format("%04d.png", Integer.parseInt(fields[0]))).toFile());
      first = first == null ? image : first;
    }
    System.out.printf(
        "%d images written to %s in %.1f s%n",
        lines.size(), out, (System.nanoTime() - started) / 1e9);
    return first;
  }

  private void upscale(BufferedImage image, Path upscalerBundle, Device device, Path out)
      throws IOException {
    try (ModelUpscaler upscaler =
        ModelUpscaler.load(BundleVerifier.verify(upscalerBundle), device)) {
      BufferedImage upscaled = upscaler.upscale(image);
      ImageIO.write(upscaled, "png", out.resolve("upscaled-0000.png").toFile());
      System.out.printf(
          "upscaled %dx%d to %dx%d%n",
          image.getWidth(), image.getHeight(), upscaled.getWidth(), upscaled.getHeight());
    }
  }

  private Distribution generationMillis(int batch, int runs) {
    for (int i = 0; i < WARMUP; i++) {
      generate("a red circle on a blue background", i, batch);
    }
    List<Double> millis = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      long started = System.nanoTime();
      generate("a red circle on a blue background", i, batch);
      millis.add((System.nanoTime() - started) / 1e6);
    }
    return new Distribution(millis);
  }

  private GenerationOutput generate(String prompt, long seed, int numImages) {
    BundleManifest.Defaults defaults = model.manifest().defaults();
    return denoiser.generate(
        model,
        GenerationSpec.textToImage(
            prompt,
            null,
            model.manifest().image().defaultWidth(),
            model.manifest().image().defaultHeight(),
            defaults.steps(),
            defaults.guidanceScale(),
            SAMPLER,
            seed,
            numImages),
        StepListener.NONE);
  }
}
