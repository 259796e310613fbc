package dev.durablediffusion.bench;

import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import dev.durablediffusion.workflows.generation.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Generations submitted through the workflow by a number of concurrent clients; each client starts
 * a generation, waits for its result, and starts the next.
 */
final class ClientLoad {

  /**
   * One generation.
   *
   * @param submittedNanos when the client submitted it ({@link System#nanoTime()})
   * @param finishedNanos when the client held the result
   * @param timingsMillis the workflow's timings: per stage, {@code activities} and {@code total}
   */
  record Generation(
      String workflowId,
      long submittedNanos,
      long finishedNanos,
      Map<String, Long> timingsMillis) {

    /** The client's time from submitting to holding the result. */
    double endToEndMillis() {
      return (finishedNanos - submittedNanos) / 1e6;
    }

    long totalMillis() {
      return timingsMillis.get("total");
    }

    long activitiesMillis() {
      return timingsMillis.get("activities");
    }

    /** Workflow time not spent executing activities. */
    double overheadMillis() {
      return totalMillis() - activitiesMillis();
    }
  }

  /**
   * All generations of one run and how long the run took from the first submit to the last result.
   */
  record Outcome(int clients, List<Generation> generations, double wallMillis) {

    double generationsPerSecond() {
      return generations.size() * 1000 / wallMillis;
    }
  }

  private final WorkflowClient client;
  private final GenerationSettings settings;
  private final String tenant;

  ClientLoad(WorkflowClient client, GenerationSettings settings) {
    this(client, settings, GenerationSettings.TENANT);
  }

  ClientLoad(WorkflowClient client, GenerationSettings settings, String tenant) {
    this.client = client;
    this.settings = settings;
    this.tenant = tenant;
  }

  Outcome run(int clients, int generations) throws InterruptedException, ExecutionException {
    AtomicInteger started = new AtomicInteger();
    return runWhile(clients, () -> started.getAndIncrement() < generations);
  }

  /** Each client starts another generation as long as {@code another} says so when asked. */
  Outcome runWhile(int clients, BooleanSupplier another)
      throws InterruptedException, ExecutionException {
    ConcurrentLinkedQueue<Generation> done = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long begin = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        workers.add(
            pool.submit(
                () -> {
                  while (another.getAsBoolean()) {
                    done.add(generateOne());
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome(clients, List.copyOf(done), (System.nanoTime() - begin) / 1e6);
  }

  /** A stub for a new generation of the benchmarks, with its fresh id as the workflow id. */
  static GenerationWorkflow newGeneration(WorkflowClient client) {
    return client.newWorkflowStub(
        GenerationWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId("gen_bench_" + UUID.randomUUID().toString().replace("-", ""))
            .setTaskQueue(TaskQueues.WORKFLOWS)
            .build());
  }

  private Generation generateOne() {
    GenerationWorkflow workflow = newGeneration(client);
    String id = WorkflowStub.fromTyped(workflow).getOptions().orElseThrow().getWorkflowId();
    long submitted = System.nanoTime();
    GenerationStatus status = workflow.generate(settings.request(id, tenant));
    return new Generation(id, submitted, System.nanoTime(), status.timingsMillis());
  }

  /** The generation's history as the server recorded it; read after the measurement. */
  HistoryBreakdown history(Generation generation) {
    return HistoryBreakdown.of(client.fetchHistory(generation.workflowId()).getEvents());
  }
}
