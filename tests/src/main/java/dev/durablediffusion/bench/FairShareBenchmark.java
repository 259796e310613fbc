package dev.durablediffusion.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How one GPU queue is shared between a tenant that floods it and a tenant that does not, on the
 * embedded default's dev server, for each way of sharing: the platform's own dispatcher workflow,
 * the server's FIFO task queues alone, and the server's task queue fairness on the tenant key. The
 * flooding tenant runs N clients, each starting its next generation as soon as one ends; the other
 * runs one client. Prints Markdown tables.
 *
 * <p>Arguments, all optional, as {@code --name value}:
 *
 * <ul>
 *   <li>{@code --clients LIST} (1,4,16): the flooding tenant's numbers of clients, each in turn
 *   <li>{@code --generations N} (20): the other tenant's generations per number of clients
 *   <li>{@code --warmup N} (60): generations before the first measurement
 *   <li>{@code --steps N} (4): denoising steps of every generation (tiny-shapes, 1 image)
 *   <li>{@code --sides LIST} (dispatcher,fifo,fairness): which ways of sharing to measure
 * </ul>
 */
public final class FairShareBenchmark {

  private static final String FLOOD = "flood-tenant";
  private static final String OTHER = "other-tenant";

  /** A way of sharing the GPU queue: the platform's properties and the dev server's. */
  private record Side(String name, Map<String, String> properties, Map<String, String> server) {}

  private static final Map<String, Side> SIDES =
      Map.of(
          "dispatcher",
          new Side(
              "dispatcher workflow (dd.cpu.fair-share-window=2)",
              Map.of("dd.cpu.fair-share-window", "2"),
              Map.of()),
          "fifo",
          new Side(
              "server FIFO (window 0)", Map.of("dd.cpu.fair-share-window", "0"), Map.of()),
          "fairness",
          new Side(
              "server fairness on the tenant key (window 0, matching.enableFairness=true)",
              Map.of("dd.cpu.fair-share-window", "0"),
              Map.of("matching.enableFairness", "true")));

  /** One number of flooding clients on one side. */
  private record Row(
      int floodClients,
      ClientLoad.Outcome other,
      ClientLoad.Outcome flood,
      long floodFinishedMeanwhile) {

    double otherShare() {
      int others = other.generations().size();
      return (double) others / (others + floodFinishedMeanwhile);
    }
  }

  private FairShareBenchmark() {}

  public static void main(String[] args) throws Exception {
    CommandLineFlags flags =
        CommandLineFlags.parse(args, Set.of("clients", "generations", "warmup", "steps", "sides"));
    GenerationSettings settings =
        new GenerationSettings("a red circle on a blue background", flags.integer("steps", 4), 1, 42);
    System.out.printf(
        "# Fair share benchmark: tiny-shapes, %d steps, 1 image; one tenant floods with N clients,"
            + " the other runs one; %s%n",
        settings.steps(), MachineLoad.describe());
    Map<String, List<Row>> results = new LinkedHashMap<>();
    for (String key : flags.words("sides", "dispatcher,fifo,fairness")) {
      Side side = SIDES.get(key);
      if (side == null) {
        throw new IllegalArgumentException("unknown side '" + key + "', expected " + SIDES.keySet());
      }
      results.put(side.name(), measure(side, flags, settings));
    }
    results.forEach(FairShareBenchmark::print);
  }

  private static List<Row> measure(Side side, CommandLineFlags flags, GenerationSettings settings)
      throws Exception {
    Path data = TemporaryDirectory.create("dd-fair-share-data");
    List<Row> rows = new ArrayList<>();
    try (EmbeddedPlatform platform =
        EmbeddedPlatform.start(data, null, side.properties(), side.server())) {
      ClientLoad other = new ClientLoad(platform.workflowClient(), settings, OTHER);
      ClientLoad flood = new ClientLoad(platform.workflowClient(), settings, FLOOD);
      other.run(1, flags.integer("warmup", 60));
      for (int clients : flags.integers("clients", "1,4,16")) {
        AtomicBoolean flooding = new AtomicBoolean(true);
        CompletableFuture<ClientLoad.Outcome> floodRun =
            CompletableFuture.supplyAsync(() -> floodWhile(flood, clients, flooding));
        Thread.sleep(3000);
        ClientLoad.Outcome otherRun = other.run(1, flags.integer("generations", 20));
        flooding.set(false);
        ClientLoad.Outcome floodOutcome = floodRun.get();
        long from =
            otherRun.generations().stream()
                .mapToLong(ClientLoad.Generation::submittedNanos)
                .min()
                .orElseThrow();
        long to =
            otherRun.generations().stream()
                .mapToLong(ClientLoad.Generation::finishedNanos)
                .max()
                .orElseThrow();
        long meanwhile =
            floodOutcome.generations().stream()
                .filter(g -> g.finishedNanos() >= from && g.finishedNanos() <= to)
                .count();
        rows.add(new Row(clients, otherRun, floodOutcome, meanwhile));
        System.out.printf(
            "%s, %d flooding client(s): done; %s%n", side.name(), clients, MachineLoad.describe());
      }
    }
    return rows;
  }

  private static ClientLoad.Outcome floodWhile(
      ClientLoad flood, int clients, AtomicBoolean flooding) {
    try {
      return flood.runWhile(clients, flooding::get);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void print(String side, List<Row> rows) {
    System.out.printf("%n## %s%n%n", side);
    System.out.println(
        "| flooding clients | other tenant end-to-end p50 / p95 / max ms | flooding tenant"
            + " end-to-end p50 / p95 ms | other tenant's share of the generations finished while"
            + " it ran | generations/s |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (Row row : rows) {
      Distribution other = endToEnd(row.other());
      Distribution flood = endToEnd(row.flood());
      double seconds = row.other().wallMillis() / 1000;
      System.out.printf(
          "| %d | %.0f / %.0f / %.0f | %.0f / %.0f | %.2f | %.2f |%n",
          row.floodClients(),
          other.percentile(50),
          other.percentile(95),
          other.max(),
          flood.percentile(50),
          flood.percentile(95),
          row.otherShare(),
          (row.other().generations().size() + row.floodFinishedMeanwhile()) / seconds);
    }
  }

  private static Distribution endToEnd(ClientLoad.Outcome outcome) {
    return new Distribution(
        outcome.generations().stream().map(ClientLoad.Generation::endToEndMillis).toList());
  }
}
