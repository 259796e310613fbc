package dev.durablediffusion.bench;

import dev.durablediffusion.gpu.app.GpuWorkerApplication;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of a generation whose GPU worker is lost late in its denoise, against an uninterrupted
 * one, in the same run: the embedded platform without a GPU worker of its own, and two GPU worker
 * JVMs. Each round submits one generation and, once it reports {@code --at} percent of its steps,
 * kills its worker ({@code kill -9}: resumed from the last periodic checkpoint, or from step 0 with
 * {@code --dd.gpu.checkpoint-interval=off}, as before checkpoints) or stops it (SIGTERM: handed
 * over at the step reached), then starts that worker again. Prints a Markdown table.
 *
 * <p>Arguments, all optional, as {@code --name value}: {@code --rounds N} (3), {@code --steps N}
 * (150), {@code --images N} (4), {@code --at P} (80), {@code --heartbeat D} (10s: how long a
 * killed worker goes unnoticed).
 */
public final class GpuLossBenchmark {

  private static final Set<String> FLAGS = Set.of("rounds", "steps", "images", "at", "heartbeat");
  private static final String[] HOSTS = {"gpu-host-bench-a", "gpu-host-bench-b"};

  private final EmbeddedPlatform platform;
  private final Path data;
  private final GenerationSettings settings;
  private final int lateStep;
  private final Process[] workers = new Process[2];
  private final Path[] logs = new Path[2];
  private int starts;
  private String checkpointInterval;

  private GpuLossBenchmark(
      EmbeddedPlatform platform, Path data, GenerationSettings settings, int lateStep) {
    this.platform = platform;
    this.data = data;
    this.settings = settings;
    this.lateStep = lateStep;
  }

  public static void main(String[] args) throws Exception {
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    int rounds = flags.integer("rounds", 3);
    int steps = flags.integer("steps", 150);
    String heartbeat = flags.text("heartbeat", "10s");
    Path data = TemporaryDirectory.create("dd-bench-gpu-loss");
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("dd.gpu.enabled", "false");
    overrides.put("dd.cpu.host-schedule-to-start", heartbeat);
    overrides.put("dd.cpu.denoise-heartbeat", heartbeat);
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(data, null, overrides)) {
      GpuLossBenchmark bench =
          new GpuLossBenchmark(
              platform,
              data,
              new GenerationSettings(
                  "a red circle on a blue background", steps, flags.integer("images", 4), 17L),
              steps * flags.integer("at", 80) / 100);
      try {
        bench.run(rounds, steps, heartbeat);
      } finally {
        bench.stopWorkers();
      }
    }
    System.exit(0);
  }

  /**
   * @param seconds from submission to the end
   * @param stepsRedone steps done before the loss and done again after it (at least)
   */
  private record Outcome(double seconds, int stepsRedone) {}

  private void run(int rounds, int steps, String heartbeat) throws Exception {
    Map<String, List<Outcome>> outcomes = new LinkedHashMap<>();
    for (String interval : List.of("2s", "off")) {
      startWorkers(interval);
      for (int r = 0; r < rounds; r++) {
        if (interval.equals("2s")) {
          record(outcomes, "uninterrupted (checkpoints every 2s)", generate(null));
          record(outcomes, "kill -9, resumed from the last checkpoint", generate(true));
          record(outcomes, "SIGTERM, handed over at the step reached", generate(false));
        } else {
          record(outcomes, "uninterrupted (checkpoints off)", generate(null));
          record(outcomes, "kill -9, checkpoints off: denoise again from step 0", generate(true));
        }
      }
      stopWorkers();
    }
    System.out.printf(
        "%d steps, %d images, worker lost at step %d, heartbeat timeout %s, %d rounds:%n%n",
        steps, settings.numImages(), lateStep, heartbeat, rounds);
    System.out.println("| generation | wall s median | min | max | steps done twice, median |");
    System.out.println("| --- | --- | --- | --- | --- |");
    outcomes.forEach(
        (name, values) -> {
          Distribution d = new Distribution(values.stream().map(Outcome::seconds).toList());
          Distribution redone =
              new Distribution(values.stream().map(o -> (double) o.stepsRedone()).toList());
          System.out.printf(
              "| %s | %.1f | %.1f | %.1f | %.0f |%n",
              name, d.median(), d.min(), d.max(), redone.median());
        });
  }

  private static void record(Map<String, List<Outcome>> outcomes, String name, Outcome value) {
    outcomes.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
  }

  /**
   * @param kill null: leave it alone; true: {@code kill -9} its worker late; false: SIGTERM it
   */
  private Outcome generate(Boolean kill) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return generateOnce(kill);
      } catch (MissedStep missed) {
        if (attempt == 3) {
          throw missed;
        }
        System.err.println(missed.getMessage() + "; trying again");
      }
    }
  }

  /** A denoise that ended before the benchmark saw it reach the step to lose its worker at. */
  private static final class MissedStep extends IllegalStateException {
    MissedStep(String message) {
      super(message);
    }
  }

  private Outcome generateOnce(Boolean kill) throws Exception {
    GenerationWorkflow workflow = ClientLoad.newGeneration(platform.workflowClient());
    String id = WorkflowStub.fromTyped(workflow).getOptions().orElseThrow().getWorkflowId();
    long submitted = System.nanoTime();
    WorkflowClient.start(workflow::generate, settings.request(id));
    int reached = 0;
    if (kill != null) {
      GenerationStatus late = awaitLateStep(workflow, id);
      reached = late.progress().step();
      String host = late.gpuHost();
      int index = host.equals(HOSTS[0]) ? 0 : 1;
      if (kill) {
        workers[index].destroyForcibly();
      } else {
        workers[index].destroy();
      }
      workers[index].waitFor(60, TimeUnit.SECONDS);
    }
    GenerationStatus end = WorkflowStub.fromTyped(workflow).getResult(GenerationStatus.class);
    double wall = (System.nanoTime() - submitted) / 1e9;
    if (end.state() != GenerationState.SUCCEEDED) {
      throw new IllegalStateException(id + " ended " + end.state());
    }
    if (kill != null) {
      for (int i = 0; i < workers.length; i++) {
        if (!workers[i].isAlive()) {
          workers[i] = startWorker(HOSTS[i]);
        }
      }
      awaitWorkersStarted();
    }
    int resumedAt = end.resumedFromStep() == null ? 0 : end.resumedFromStep();
    return new Outcome(wall, Math.max(reached - resumedAt, 0));
  }

  private GenerationStatus awaitLateStep(GenerationWorkflow workflow, String id)
      throws InterruptedException {
    while (true) {
      GenerationStatus status = workflow.status();
      if (status.state().terminal()) {
        throw new MissedStep(id + " ended before it was seen at step " + lateStep);
      }
      if (status.progress() != null && status.progress().step() >= lateStep) {
        return status;
      }
      Thread.sleep(10);
    }
  }

  private void startWorkers(String interval) throws IOException, InterruptedException {
    checkpointInterval = interval;
    for (int i = 0; i < workers.length; i++) {
      workers[i] = startWorker(HOSTS[i]);
    }
    awaitWorkersStarted();
  }

  private Process startWorker(String host) throws IOException {
    Path log = data.resolve(host + "-" + (++starts) + ".log");
    logs[host.equals(HOSTS[0]) ? 0 : 1] = log;
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dai.djl.offline=true",
            "-cp",
            System.getProperty("java.class.path"),
            GpuWorkerApplication.class.getName(),
            "--spring.temporal.connection.target=" + platform.temporalTarget(),
            "--spring.main.web-application-type=none",
            "--dd.cpu.enabled=false",
            "--dd.gpu.host-task-queue=" + host,
            "--dd.gpu.progress-interval=100ms",
            "--dd.gpu.checkpoint-interval=" + checkpointInterval,
            "--dd.gpu.model-cache-directory=" + data.resolve("cache-" + host),
            "--dd.storage.filesystem.root=" + data)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Both workers have logged their start in the log of their latest start. */
  private void awaitWorkersStarted() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    for (Path log : logs) {
      while (!started(log)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a GPU worker did not start; see " + log);
        }
        Thread.sleep(200);
      }
    }
  }

  private static boolean started(Path log) {
    try {
      return Files.readAllLines(log).stream()
          .anyMatch(l -> l.contains("Started GpuWorkerApplication"));
    } catch (IOException e) {
      return false;
    }
  }

  private void stopWorkers() throws InterruptedException {
    for (Process worker : workers) {
      if (worker != null && worker.isAlive()) {
        worker.destroy();
        worker.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }
}
