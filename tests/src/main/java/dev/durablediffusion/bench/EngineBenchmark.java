package dev.durablediffusion.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.durablediffusion.engine.Denoiser;
import dev.durablediffusion.engine.DiffusionModel;
import dev.durablediffusion.engine.GenerationCanceledException;
import dev.durablediffusion.engine.GenerationOutput;
import dev.durablediffusion.engine.GenerationSpec;
import dev.durablediffusion.engine.NativeAllocator;
import dev.durablediffusion.engine.StepListener;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The diffusion engine on the CPU: the denoise loop against the same loop in Python/PyTorch, the
 * share of the loop outside UNet calls, whole generations per batch size, and resident memory over
 * many generations in one JVM. Prints Markdown tables.
 *
 * <p>Arguments, all optional, as {@code --name value}:
 *
 * <ul>
 *   <li>{@code --bundle DIR}: the bundle directory; default the {@code tiny-shapes} bundle shipped
 *       on the classpath, copied to a temporary directory
 *   <li>{@code --threads N} (2): intra-op threads of DJL's libtorch ({@code
 *       ai.djl.pytorch.num_threads}) and of the Python side ({@code torch.set_num_threads})
 *   <li>{@code --prompt TEXT} ("a red circle on a blue background"), {@code --seed N} (42), {@code
 *       --steps N} (20), {@code --guidance G} (5): the generation, always DDIM at 64×64
 *   <li>{@code --warmup N} (5): untimed generations before the timed ones, on each side and for
 *       each batch size
 *   <li>{@code --runs N} (20) and {@code --rounds N} (4): timed generations of the loop comparison
 *       on each side, taken in alternating rounds of {@code runs / rounds} (Java, then Python,
 *       again)
 *   <li>{@code --loop-images LIST} (1): the numbers of images the loop comparison runs, one table
 *       each; per-operator costs that do not grow with the batch weigh less at larger ones
 *   <li>{@code --batch-sizes LIST} (1,2,4) and {@code --generation-runs N} (10): timed whole
 *       generations per number of images; the preview section times that many generations each
 *       way
 *   <li>{@code --memory-generations N} (1000) and {@code --memory-readings N} (10): generations of
 *       the memory runs and how many resident-set readings are taken along each
 *   <li>{@code --cancel-at-step K} (5): the step after which each generation of the {@code cancel}
 *       section is cancelled
 *   <li>{@code --python PATH} ({@code /usr/bin/python3}; {@code none} skips the Python side) and
 *       {@code --python-script PATH} ({@code tools/bench_python_loop.py})
 *   <li>{@code --profile-runs N} (5) and {@code --profile-trace FILE} ({@code
 *       dd-engine-profile.json} in the temporary directory): the profile section records that many
 *       generations with libtorch's profiler into a Chrome trace, then has {@code
 *       tools/profile_ops.py} profile the same in Python and print both sides' self time per
 *       operator
 *   <li>{@code --sections LIST} (loop,generation,memory; also profile, cancel and preview): which
 *       parts to run; {@code cancel} is the memory run with every generation cancelled part-way,
 *       {@code preview} times generations that draw a preview at every step against ones that draw
 *       none
 * </ul>
 */
public final class EngineBenchmark {

  private static final Set<String> FLAGS =
      Set.of(
          "bundle",
          "threads",
          "prompt",
          "seed",
          "steps",
          "guidance",
          "warmup",
          "runs",
          "rounds",
          "loop-images",
          "batch-sizes",
          "profile-runs",
          "profile-trace",
          "generation-runs",
          "memory-generations",
          "memory-readings",
          "cancel-at-step",
          "python",
          "python-script",
          "sections");

  private final DiffusionModel model;
  private final LoopSettings settings;
  private final int warmup;
  private final Denoiser denoiser = new Denoiser();

  private EngineBenchmark(DiffusionModel model, LoopSettings settings, int warmup) {
    this.model = model;
    this.settings = settings;
    this.warmup = warmup;
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    LoopSettings settings =
        new LoopSettings(
            flags.text("prompt", "a red circle on a blue background"),
            flags.integer("seed", 42),
            flags.integer("steps", 20),
            flags.decimal("guidance", 5.0),
            flags.integer("threads", 2));
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(settings.threads()));
    VerifiedBundle bundle = ShippedBundle.resolve(flags.text("bundle", null));
    List<String> sections = flags.words("sections", "loop,generation,memory");
    try (DiffusionModel model = DiffusionModel.load(bundle, Device.cpu())) {
      System.out.printf(
          "# Engine benchmark: %s %s from %s%n",
          bundle.name(), bundle.manifest().version(), bundle.directory());
      System.out.printf(
          "Java %s, DJL PyTorch %s, intra-op threads %d, inter-op threads %d, native allocator %s"
              + " (the Python side inherits LD_PRELOAD); %s%n",
          System.getProperty("java.version"),
          Engine.getEngine("PyTorch").getVersion(),
          JniUtils.getNumThreads(),
          JniUtils.getNumInteropThreads(),
          NativeAllocator.current(),
          MachineLoad.describe());
      System.out.printf(
          "Generation: DDIM, %d steps, guidance %s, %dx%d, seed %d, prompt \"%s\"%n",
          settings.steps(),
          settings.guidanceScale(),
          LoopSettings.SIZE,
          LoopSettings.SIZE,
          settings.seed(),
          settings.prompt());
      EngineBenchmark benchmark = new EngineBenchmark(model, settings, flags.integer("warmup", 5));
      if (sections.contains("loop")) {
        String python = flags.text("python", "/usr/bin/python3");
        PythonReferenceLoop reference =
            python.equals("none")
                ? null
                : new PythonReferenceLoop(
                    python, flags.text("python-script", "tools/bench_python_loop.py"));
        for (int numImages : flags.integers("loop-images", "1")) {
          benchmark.compareLoops(
              numImages, flags.integer("runs", 20), flags.integer("rounds", 4), reference);
        }
      }
      if (sections.contains("generation")) {
        benchmark.wholeGenerations(
            flags.integers("batch-sizes", "1,2,4"), flags.integer("generation-runs", 10));
      }
      if (sections.contains("preview")) {
        benchmark.previews(flags.integer("generation-runs", 10));
      }
      if (sections.contains("profile")) {
        String python = flags.text("python", "/usr/bin/python3");
        benchmark.profile(
            flags.integer("profile-runs", 5),
            flags.text(
                "profile-trace",
                Path.of(System.getProperty("java.io.tmpdir"), "dd-engine-profile.json").toString()),
            python.equals("none") ? null : List.of(python, "tools/profile_ops.py"),
            bundle);
      }
      int memoryGenerations = flags.integer("memory-generations", 1000);
      int memoryReadings = flags.integer("memory-readings", 10);
      if (sections.contains("memory")) {
        benchmark.residentMemory(
            "generations of 1 image",
            memoryGenerations,
            memoryReadings,
            () -> benchmark.generate(1));
      }
      if (sections.contains("cancel")) {
        int step = flags.integer("cancel-at-step", 5);
        benchmark.residentMemory(
            "generations of 1 image, each cancelled after step " + step,
            memoryGenerations,
            memoryReadings,
            () -> benchmark.cancelledGeneration(step));
      }
    }
  }

  private GenerationOutput generate(int numImages) {
    return denoiser.generate(model, settings.spec(numImages), StepListener.NONE);
  }

  private void cancelledGeneration(int atStep) {
    try {
      denoiser.generate(
          model,
          settings.spec(1),
          progress -> {
            if (progress.step() == atStep) {
              throw new GenerationCanceledException(progress.step(), progress.total());
            }
          });
      throw new IllegalStateException("the generation ran past step " + atStep);
    } catch (GenerationCanceledException expected) {
      // what every generation of this run should end with
    }
  }

  private List<GenerationOutput> generations(int numImages, int count) {
    List<GenerationOutput> outputs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      outputs.add(generate(numImages));
    }
    return outputs;
  }

  /**
   * Java and Python take turns, {@code runs / rounds} timed generations each, so both see the same
   * load.
   */
  private void compareLoops(int numImages, int runs, int rounds, PythonReferenceLoop python) {
    generations(numImages, warmup);
    List<LoopTimings> java = new ArrayList<>();
    List<LoopTimings> reference = new ArrayList<>();
    PythonReferenceLoop.Result last = null;
    for (int round = 0; round < rounds; round++) {
      generations(numImages, runs / rounds).forEach(output -> java.add(LoopTimings.of(output)));
      if (python != null) {
        last = python.run(model.bundle().directory(), settings, numImages, warmup, runs / rounds);
        reference.addAll(last.runs());
      }
    }
    System.out.printf(
        "%n## Denoise loop, %d image(s) (CFG batch of %d): %d timed runs per side in %d"
            + " alternating rounds, %d warm-up%n%n",
        numImages, 2 * numImages, java.size(), rounds, warmup);
    System.out.println(
        "| side | loop ms/step median | loop ms/step min | UNet call ms/step median "
            + "| outside UNet median / pooled | whole generation ms median |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    printLoopRow("Java/DJL", java);
    if (last != null) {
      printLoopRow("Python/torch " + last.torchVersion(), reference);
      Distribution javaStep = LoopTimings.each(java, t -> t.samplingMillis() / settings.steps());
      Distribution pythonStep =
          LoopTimings.each(reference, t -> t.samplingMillis() / settings.steps());
      System.out.printf(
          "%nJava/Python loop time per step: %.2f at the median, %.2f at the minimum (target <="
              + " 1.0); Python threads %d, inter-op %d%n",
          javaStep.median() / pythonStep.median(),
          javaStep.min() / pythonStep.min(),
          last.threads(),
          last.interopThreads());
    }
    System.out.printf("%nLoad after the loop comparison: %s%n", MachineLoad.describe());
  }

  private void printLoopRow(String side, List<LoopTimings> runs) {
    Distribution perStep = LoopTimings.each(runs, t -> t.samplingMillis() / settings.steps());
    System.out.printf(
        "| %s | %.2f | %.2f | %.2f | %.2f %% / %.2f %% | %.1f |%n",
        side,
        perStep.median(),
        perStep.min(),
        LoopTimings.each(runs, t -> t.unetMillis() / settings.steps()).median(),
        100 * LoopTimings.each(runs, LoopTimings::outsideUnetShare).median(),
        100 * LoopTimings.pooledOutsideUnetShare(runs),
        LoopTimings.each(runs, LoopTimings::totalMillis).median());
  }

  private void wholeGenerations(List<Integer> batchSizes, int runs) {
    System.out.printf(
        "%n## Whole generation (text encoding, loop, VAE decode), %d runs per size after %d"
            + " warm-up%n%n",
        runs, warmup);
    System.out.println("| num_images | median ms | p95 ms | images/s (at the median) |");
    System.out.println("| --- | --- | --- | --- |");
    for (int numImages : batchSizes) {
      generations(numImages, warmup);
      Distribution total =
          new Distribution(
              generations(numImages, runs).stream().map(GenerationOutput::totalMillis).toList());
      System.out.printf(
          "| %d | %.1f | %.1f | %.2f |%n",
          numImages, total.median(), total.percentile(95), numImages * 1000 / total.median());
    }
    System.out.printf("%nLoad after the generations: %s%n", MachineLoad.describe());
  }

  /** A progress report draws its preview lazily; this draws one at every step to price it. */
  private void previews(int runs) {
    GenerationSpec withPreviews = settings.spec(1).withPreviews(true);
    StepListener drawEveryPreview = progress -> progress.preview().get();
    for (int i = 0; i < warmup; i++) {
      generate(1);
      denoiser.generate(model, withPreviews, drawEveryPreview);
    }
    List<Double> plain = new ArrayList<>();
    List<Double> previewed = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      plain.add(generate(1).totalMillis());
      previewed.add(denoiser.generate(model, withPreviews, drawEveryPreview).totalMillis());
    }
    double without = new Distribution(plain).median();
    double with = new Distribution(previewed).median();
    System.out.printf(
        "%n## Previews: %d generations of 1 image each way, alternating%n%n"
            + "| previews | whole generation ms median |%n| --- | --- |%n| none | %.1f |%n"
            + "| one per step (%d) | %.1f |%n%nOne preview: %.2f ms%n",
        runs, without, settings.steps(), with, (with - without) / settings.steps());
  }

  /**
   * Records {@code runs} generations with libtorch's profiler, then lets the Python tool compare
   * operator self times with Debian torch's over the same generations.
   */
  private void profile(int runs, String trace, List<String> pythonTool, VerifiedBundle bundle)
      throws IOException, InterruptedException {
    generations(1, warmup);
    JniUtils.startProfile(false, false, false);
    generations(1, runs);
    JniUtils.stopProfile(trace);
    System.out.printf("%n## Operator profile (%d generations of 1 image): %s%n%n", runs, trace);
    if (pythonTool == null) {
      return;
    }
    List<String> command = new ArrayList<>(pythonTool);
    command.addAll(
        List.of(
            bundle.directory().toString(),
            "--java-trace",
            trace,
            "--runs",
            Integer.toString(runs),
            "--warmup",
            Integer.toString(warmup),
            "--steps",
            Integer.toString(settings.steps()),
            "--guidance",
            Double.toString(settings.guidanceScale()),
            "--seed",
            Long.toString(settings.seed()),
            "--threads",
            Integer.toString(settings.threads())));
    Process tool = new ProcessBuilder(command).redirectErrorStream(true).inheritIO().start();
    if (tool.waitFor() != 0) {
      throw new IllegalStateException("tools/profile_ops.py failed: " + tool.exitValue());
    }
  }

  private void residentMemory(String what, int count, int readings, Runnable generation) {
    for (int i = 0; i < warmup; i++) {
      generation.run();
    }
    int every = Math.max(1, count / readings);
    System.out.printf(
        "%n## Resident memory over %d %s in this JVM, after warm-up%n%n", count, what);
    System.out.println(
        "| generations | VmRSS MiB | JVM heap committed MiB | JVM non-heap committed MiB |");
    System.out.println("| --- | --- | --- | --- |");
    printMemoryRow(0);
    long first = ResidentMemory.mebibytes();
    for (int done = 1; done <= count; done++) {
      generation.run();
      if (done % every == 0 || done == count) {
        printMemoryRow(done);
      }
    }
    System.out.printf(
        "%nVmRSS change over the run: %+d MiB; load: %s%n",
        ResidentMemory.mebibytes() - first, MachineLoad.describe());
  }

  /** Non-heap is the JVM's code cache and metaspace: growth there is JIT work, not the engine. */
  private static void printMemoryRow(int generations) {
    MemoryMXBean jvm = ManagementFactory.getMemoryMXBean();
    System.out.printf(
        "| %d | %d | %d | %d |%n",
        generations,
        ResidentMemory.mebibytes(),
        jvm.getHeapMemoryUsage().getCommitted() / (1024 * 1024),
        jvm.getNonHeapMemoryUsage().getCommitted() / (1024 * 1024));
  }
}
