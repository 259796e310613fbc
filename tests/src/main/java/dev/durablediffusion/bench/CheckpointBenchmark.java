package dev.durablediffusion.bench;

import ai.djl.Device;
import com.azure.storage.blob.BlobServiceClientBuilder;
import dev.durablediffusion.engine.Denoiser;
import dev.durablediffusion.engine.DiffusionModel;
import dev.durablediffusion.engine.GenerationOutput;
import dev.durablediffusion.engine.GenerationSpec;
import dev.durablediffusion.engine.StepListener;
import dev.durablediffusion.engine.checkpoint.CheckpointFormat;
import dev.durablediffusion.engine.checkpoint.DenoiseCheckpoint;
import dev.durablediffusion.engine.sampler.ResumableRandom;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import dev.durablediffusion.gpu.checkpoint.CheckpointInterval;
import dev.durablediffusion.gpu.checkpoint.CheckpointWriter;
import dev.durablediffusion.gpu.checkpoint.DenoiseCheckpoints;
import dev.durablediffusion.storage.AzureBlobObjectStore;
import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What denoise checkpoints cost: the size and write time of one checkpoint for the latents of
 * tiny-shapes, SD 1.5 and SDXL (4 images, with and without DPM-Solver++'s previous prediction) to
 * the filesystem store and, given a connection string, to Azure Blob; then, on tiny-shapes, the
 * denoise loop with a checkpoint written after every step against none (alternating rounds, same
 * run), and the time to finish from a late checkpoint against from step 0. Prints Markdown tables.
 *
 * <p>Arguments, all optional, as {@code --name value}: {@code --rounds N} (40), {@code
 * --blob-connection-string S} (e.g. Azurite's), {@code --steps N} (150).
 */
public final class CheckpointBenchmark {

  private static final Set<String> FLAGS = Set.of("rounds", "blob-connection-string", "steps");

  private record Shape(String name, int channels, int side) {}

  private static final List<Shape> SHAPES =
      List.of(
          new Shape("tiny-shapes 64 px", 4, 16),
          new Shape("SD 1.5 512 px", 4, 64),
          new Shape("SDXL 1024 px", 4, 128));
  private static final int IMAGES = 4;

  private CheckpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("ai.djl.offline", "true");
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    int rounds = flags.integer("rounds", 40);
    int steps = flags.integer("steps", 150);
    Map<String, ObjectStore> stores = new LinkedHashMap<>();
    stores.put(
        "filesystem",
        new FilesystemObjectStore(TemporaryDirectory.create("dd-bench-checkpoints")));
    String blob = flags.text("blob-connection-string", null);
    if (blob != null) {
      Map<StorageArea, String> containers = new EnumMap<>(StorageArea.class);
      for (StorageArea area : StorageArea.values()) {
        containers.put(area, "bench-" + area.name().toLowerCase());
      }
      stores.put(
          "Azure Blob",
          new AzureBlobObjectStore(
              new BlobServiceClientBuilder().connectionString(blob).buildClient(),
              containers,
              true,
              true));
    }
    writes(rounds, stores);
    loop(rounds, steps, new DenoiseCheckpoints(stores.get("filesystem")));
  }

  private static void writes(int rounds, Map<String, ObjectStore> stores) {
    System.out.println(
        "| latents (4 images) | sampler memory | bytes | encode ms median | store | write ms"
            + " median | p95 | read + decode ms median |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Shape shape : SHAPES) {
      for (boolean multistep : List.of(false, true)) {
        DenoiseCheckpoint checkpoint = synthetic(shape, multistep);
        List<Double> encode = new ArrayList<>();
        int bytes = 0;
        for (int r = 0; r < rounds; r++) {
          long t = System.nanoTime();
          bytes = CheckpointFormat.write(checkpoint).length;
          encode.add((System.nanoTime() - t) / 1e6);
        }
        for (Map.Entry<String, ObjectStore> store : stores.entrySet()) {
          DenoiseCheckpoints checkpoints = new DenoiseCheckpoints(store.getValue());
          List<Double> write = new ArrayList<>();
          List<Double> read = new ArrayList<>();
          for (int r = 0; r < rounds; r++) {
            write.add(millis(() -> checkpoints.save("gen_bench", checkpoint)));
            read.add(millis(() -> checkpoints.latest("gen_bench").orElseThrow()));
          }
          Distribution w = new Distribution(write);
          System.out.printf(
              "| %s | %s | %,d | %.2f | %s | %.2f | %.2f | %.2f |%n",
              shape.name(),
              multistep ? "DPM-Solver++ 2M" : "none",
              bytes,
              new Distribution(encode).median(),
              store.getKey(),
              w.median(),
              w.percentile(95),
              new Distribution(read).median());
        }
      }
    }
  }

  private static void loop(int rounds, int steps, DenoiseCheckpoints checkpoints)
      throws Exception {
    DiffusionModel model = DiffusionModel.load(ShippedBundle.resolve(null), Device.cpu());
    GenerationSpec spec =
        GenerationSpec.textToImage(
            "a red circle on a blue background",
            "",
            64,
            64,
            steps,
            5.0,
            "dpmpp_2m_karras",
            7L,
            IMAGES);
    Denoiser denoiser = new Denoiser();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Double> plain = new ArrayList<>();
    List<Double> everyStep = new ArrayList<>();
    int loopRounds = Math.max(4, rounds / 4);
    denoiser.generate(model, spec, StepListener.NONE);
    for (int r = 0; r < loopRounds; r++) {
      plain.add(denoiser.generate(model, spec, StepListener.NONE).samplingMillis() / steps);
      CheckpointWriter writer =
          new CheckpointWriter(
              checkpoints,
              executor,
              "gen_loop",
              CheckpointInterval.valueOf("1"),
              0,
              Timer.builder("w").register(registry),
              DistributionSummary.builder("s").register(registry),
              System::nanoTime);
      GenerationOutput out =
          denoiser.generate(
              model, spec, step -> writer.offer(step.checkpoint(), step.step() == step.total()));
      everyStep.add(out.samplingMillis() / steps);
    }
    System.out.println();
    System.out.printf(
        "tiny-shapes, %d steps, %d images, dpmpp_2m_karras, %d alternating rounds:%n%n",
        steps, IMAGES, loopRounds);
    System.out.println("| loop | ms/step median | min |");
    System.out.println("| --- | --- | --- |");
    for (Map.Entry<String, List<Double>> side :
        Map.of("no checkpoints", plain, "a checkpoint after every step (filesystem)", everyStep)
            .entrySet()) {
      Distribution d = new Distribution(side.getValue());
      System.out.printf("| %s | %.2f | %.2f |%n", side.getKey(), d.median(), d.min());
    }

    int late = steps * 8 / 10;
    AtomicReference<DenoiseCheckpoint> saved = new AtomicReference<>();
    denoiser.generate(
        model,
        spec,
        step -> {
          if (step.step() == late) {
            saved.set(step.checkpoint());
          }
        });
    List<Double> fromZero = new ArrayList<>();
    List<Double> resumed = new ArrayList<>();
    for (int r = 0; r < loopRounds; r++) {
      fromZero.add(denoiser.generate(model, spec, StepListener.NONE).totalMillis());
      resumed.add(
          denoiser.generate(model, spec, StepListener.NONE, saved.get()).totalMillis());
    }
    System.out.println();
    System.out.printf("Finishing after a loss at step %d of %d:%n%n", late, steps);
    System.out.println("| restart | whole generation ms median |");
    System.out.println("| --- | --- |");
    System.out.printf("| from step 0 | %.1f |%n", new Distribution(fromZero).median());
    System.out.printf(
        "| from the checkpoint at step %d | %.1f |%n", late, new Distribution(resumed).median());
    executor.shutdown();
    model.close();
  }

  private static DenoiseCheckpoint synthetic(Shape shape, boolean multistep) {
    Random random = new Random(1);
    int size = IMAGES * shape.channels() * shape.side() * shape.side();
    float[] latents = new float[size];
    for (int i = 0; i < size; i++) {
      latents[i] = (float) random.nextGaussian();
    }
    double[] prediction = null;
    if (multistep) {
      prediction = new double[size];
      for (int i = 0; i < size; i++) {
        prediction[i] = random.nextGaussian();
      }
    }
    List<ResumableRandom.State> noise = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      noise.add(new ResumableRandom(i).state());
    }
    return new DenoiseCheckpoint(
        "0".repeat(64),
        10,
        latents,
        multistep ? new SamplerMemory(9, prediction) : SamplerMemory.NONE,
        noise);
  }

  private static double millis(Supplier<?> work) {
    long t = System.nanoTime();
    work.get();
    return (System.nanoTime() - t) / 1e6;
  }
}
