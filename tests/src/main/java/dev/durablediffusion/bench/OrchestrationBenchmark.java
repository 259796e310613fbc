package dev.durablediffusion.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What orchestration costs on the embedded default: per generation, the workflow's {@code total}
 * minus {@code activities} (the activity execution times the activities report), and the client's
 * end-to-end latency; plus throughput at several numbers of concurrent clients. Starts the platform
 * in this JVM (its Temporal server as {@code -Ddd.temporal.server} says, the dev server by default,
 * and the launcher's application) and submits through
 * the application's {@code WorkflowClient}. Prints Markdown tables.
 *
 * <p>Arguments, all optional, as {@code --name value}:
 *
 * <ul>
 *   <li>{@code --generations N} (200): measured generations per number of clients
 *   <li>{@code --clients LIST} (1,4,16): the numbers of concurrent clients, each measured in turn
 *   <li>{@code --warmup N} (1000): generations before the first measurement. The first loads the
 *       model; the rest let the JIT compiler finish with the Temporal SDK, gRPC and the test
 *       server. Measured after 10, the one-client overhead is about 1.7 times the figure after
 *       1,000 ({@code docs/benchmarks.md})
 *   <li>{@code --steps N} (4), {@code --num-images N} (1), {@code --seed N} (42), {@code --prompt
 *       TEXT} ("a red circle on a blue background"): the request; the model's defaults fill the
 *       rest (tiny-shapes: DDIM, guidance 5, 64×64)
 *   <li>{@code --models-dir DIR}: serve bundles from {@code DIR/<name>/} ({@code
 *       dd.models.directory}); default the bundles shipped on the classpath
 *   <li>{@code --compare-dynamic-config KEY=VALUE,...}: after the run on the launcher's dev server
 *       configuration, the same run again on a fresh platform whose dev server has these dynamic
 *       configuration values over it, and both summaries
 * </ul>
 */
public final class OrchestrationBenchmark {

  private static final Set<String> FLAGS =
      Set.of(
          "generations",
          "clients",
          "warmup",
          "steps",
          "num-images",
          "seed",
          "prompt",
          "models-dir",
          "compare-dynamic-config");

  private OrchestrationBenchmark() {}

  public static void main(String[] args) throws Exception {
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    GenerationSettings settings =
        new GenerationSettings(
            flags.text("prompt", "a red circle on a blue background"),
            flags.integer("steps", 4),
            flags.integer("num-images", 1),
            flags.integer("seed", 42));
    Map<String, Map<String, String>> sides = new LinkedHashMap<>();
    sides.put("the launcher's dev server configuration", Map.of());
    Map<String, String> compared = flags.pairs("compare-dynamic-config");
    if (!compared.isEmpty()) {
      sides.put("dev server dynamic config " + compared, compared);
    }
    Map<String, List<ClientLoad.Outcome>> outcomes = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> side : sides.entrySet()) {
      System.out.printf("%n# Side: %s%n", side.getKey());
      outcomes.put(side.getKey(), measure(flags, settings, side.getValue()));
    }
    outcomes.forEach(OrchestrationBenchmark::printSummary);
  }

  private static List<ClientLoad.Outcome> measure(
      CommandLineFlags flags, GenerationSettings settings, Map<String, String> dynamicConfig)
      throws Exception {
    int generations = flags.integer("generations", 200);
    Path data = TemporaryDirectory.create("dd-bench-data");
    List<ClientLoad.Outcome> outcomes = new ArrayList<>();
    try (EmbeddedPlatform platform =
        EmbeddedPlatform.start(data, flags.text("models-dir", null), Map.of(), dynamicConfig)) {
      ClientLoad load = new ClientLoad(platform.workflowClient(), settings);
      System.out.printf(
          "# Orchestration benchmark: embedded default, tiny-shapes, %d steps, %d image(s), "
              + "%d generations per client count%n",
          settings.steps(), settings.numImages(), generations);
      System.out.printf(
          "Java %s; %s; %s%n",
          System.getProperty("java.version"),
          platform.temporalDescription(),
          MachineLoad.describe());
      load.run(1, flags.integer("warmup", 1000));
      for (int clients : flags.integers("clients", "1,4,16")) {
        ClientLoad.Outcome outcome = load.run(clients, generations);
        outcomes.add(outcome);
        printDetail(outcome, outcome.generations().stream().map(load::history).toList());
        printFootprint(platform, data);
      }
    }
    return outcomes;
  }

  private static void printDetail(ClientLoad.Outcome outcome, List<HistoryBreakdown> histories) {
    List<ClientLoad.Generation> runs = outcome.generations();
    System.out.printf(
        "%n## %d client(s): %d generations in %.1f s, %.2f generations/s; %s%n%n",
        outcome.clients(),
        runs.size(),
        outcome.wallMillis() / 1000,
        outcome.generationsPerSecond(),
        MachineLoad.describe());
    System.out.println("| ms per generation | p50 | p95 | mean | max |");
    System.out.println("| --- | --- | --- | --- | --- |");
    printRow("overhead: total - activities", runs, ClientLoad.Generation::overheadMillis);
    printRow("client end-to-end (submit to result)", runs, ClientLoad.Generation::endToEndMillis);
    printRow(
        "client end-to-end - activities", runs, g -> g.endToEndMillis() - g.activitiesMillis());
    printRow(
        "client end-to-end - activities running (history): the issue's overhead",
        IntStream.range(0, runs.size()).boxed().toList(),
        i -> runs.get(i).endToEndMillis() - histories.get(i).activityRunMillis());
    printRow("total (workflow time)", runs, ClientLoad.Generation::totalMillis);
    printRow("activities (reported execution)", runs, ClientLoad.Generation::activitiesMillis);
    for (String stage : List.of("validating", "preparing", "denoising", "storing")) {
      if (runs.get(0).timingsMillis().containsKey(stage)) {
        printRow(
            "stage " + stage + " (workflow time)",
            runs,
            g -> g.timingsMillis().getOrDefault(stage, 0L));
      }
    }
    printRow("history: execution started to completed", histories, HistoryBreakdown::spanMillis);
    printRow("history: activities running", histories, HistoryBreakdown::activityRunMillis);
    printRow(
        "history: activities waiting in task queues",
        histories,
        HistoryBreakdown::activityQueueMillis);
    printRow("history: the rest (workflow tasks, hops)", histories, HistoryBreakdown::restMillis);
    printRow(
        "history: workflow tasks scheduled to completed",
        histories,
        HistoryBreakdown::workflowTaskMillis);
    printRow(
        "history: workflow tasks scheduled to started (waiting for a worker)",
        histories,
        HistoryBreakdown::workflowTaskQueueMillis);
    printRow(
        "history: store images completed to close-out completed",
        histories,
        HistoryBreakdown::closeOutStepMillis);
    printRow("history: close-out running", histories, HistoryBreakdown::closeOutRunMillis);
    printRow(
        "history: what the close-out's own activity adds (the two above, subtracted)",
        histories,
        h -> h.closeOutStepMillis() - h.closeOutRunMillis());
    System.out.printf(
        "%nWorkflow tasks per generation (median): %.0f%n",
        new Distribution(histories.stream().map(h -> (double) h.workflowTasks()).toList())
            .median());
  }

  private static <T> void printRow(String figure, List<T> samples, ToDoubleFunction<T> value) {
    Distribution d = new Distribution(samples.stream().map(value::applyAsDouble).toList());
    System.out.printf(
        "| %s | %.1f | %.1f | %.1f | %.1f |%n",
        figure, d.percentile(50), d.percentile(95), d.mean(), d.max());
  }

  /** Resident memory of both processes and the size of the server's files, after a run. */
  private static void printFootprint(EmbeddedPlatform platform, Path data) throws IOException {
    System.out.printf(
        "%nResident memory after the run: platform JVM %d MiB", ResidentMemory.mebibytes());
    platform
        .temporalProcess()
        .ifPresent(p -> System.out.printf(", Temporal server %d MiB", ResidentMemory.mebibytes(p.pid())));
    Path temporalFiles = data.resolve("temporal");
    if (Files.isDirectory(temporalFiles)) {
      long bytes;
      try (Stream<Path> files = Files.list(temporalFiles)) {
        bytes =
            files
                .filter(f -> f.getFileName().toString().startsWith("temporal.db"))
                .filter(f -> !f.getFileName().toString().endsWith(".log"))
                .mapToLong(f -> f.toFile().length())
                .sum();
      }
      System.out.printf("; SQLite database with its WAL %.1f MiB", bytes / 1048576.0);
    }
    System.out.println();
  }

  private static void printSummary(String side, List<ClientLoad.Outcome> outcomes) {
    System.out.printf("%n## Summary: %s%n%n", side);
    System.out.println(
        "| clients | generations/s | overhead p50 ms | overhead p95 ms | end-to-end p50 ms |"
            + " end-to-end p95 ms |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (ClientLoad.Outcome outcome : outcomes) {
      Distribution overhead =
          new Distribution(
              outcome.generations().stream().map(ClientLoad.Generation::overheadMillis).toList());
      Distribution endToEnd =
          new Distribution(
              outcome.generations().stream().map(ClientLoad.Generation::endToEndMillis).toList());
      System.out.printf(
          "| %d | %.2f | %.1f | %.1f | %.1f | %.1f |%n",
          outcome.clients(),
          outcome.generationsPerSecond(),
          overhead.percentile(50),
          overhead.percentile(95),
          endToEnd.percentile(50),
          endToEnd.percentile(95));
    }
  }
}
