package dev.durablediffusion.e2e;

import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The platform with its GPU work in two GPU worker JVMs of their own (host queues {@code
 * gpu-host-first} and {@code gpu-host-second}) and timeouts short enough that a killed host is
 * given up within seconds. Tenant {@code a} submits with {@code key-a}.
 */
final class TwoGpuWorkers implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofMinutes(3);

  private final TemporalServerProcess temporal;
  private final Path data;
  private final List<String> workerSettings;
  private final InProcessPlatform platform;
  private ChildJvm first;
  private ChildJvm second;

  /**
   * @param workerSettings further {@code --name=value} arguments of both GPU workers
   */
  TwoGpuWorkers(TemporalServerProcess temporal, Path data, String... workerSettings)
      throws Exception {
    this.temporal = temporal;
    this.data = data;
    this.workerSettings = List.of(workerSettings);
    this.platform =
        new InProcessPlatform(
            temporal,
            data,
            Map.of(
                "dd.api.keys", "a:key-a",
                "dd.gpu.enabled", false,
                "dd.cpu.host-schedule-to-start", "10s",
                "dd.cpu.denoise-heartbeat", "10s"));
    ChildJvm firstWorker = null;
    ChildJvm secondWorker = null;
    try {
      firstWorker = startWorker("gpu-host-first");
      secondWorker = startWorker("gpu-host-second");
      firstWorker.awaitLog(l -> l.contains("Started GpuWorkerApplication"), STARTUP);
      secondWorker.awaitLog(l -> l.contains("Started GpuWorkerApplication"), STARTUP);
    } catch (Exception | AssertionError e) {
      close(secondWorker);
      close(firstWorker);
      platform.close();
      throw e;
    }
    this.first = firstWorker;
    this.second = secondWorker;
  }

  private ChildJvm startWorker(String hostQueue) {
    List<String> settings = new ArrayList<>(List.of("--dd.gpu.progress-interval=100ms"));
    settings.addAll(workerSettings);
    return GpuWorkerJvm.start(hostQueue, temporal, data, settings.toArray(String[]::new));
  }

  int port() {
    return platform.port();
  }

  /** Kills the worker the generation is denoising on and returns its host queue. */
  String killTheHostOf(String generationId) throws InterruptedException {
    String victim = hostOf(generationId);
    worker(victim).kill();
    return victim;
  }

  /** Sends SIGTERM to the worker the generation is denoising on and returns its host queue. */
  String stopTheHostOf(String generationId) {
    String victim = hostOf(generationId);
    worker(victim).terminate();
    return victim;
  }

  /** Starts the worker of this host queue again, after it was killed or stopped. */
  void restart(String hostQueue) throws InterruptedException {
    close(worker(hostQueue));
    ChildJvm restarted = startWorker(hostQueue);
    if (hostQueue.equals("gpu-host-first")) {
      first = restarted;
    } else {
      second = restarted;
    }
    restarted.awaitLog(l -> l.contains("Started GpuWorkerApplication"), STARTUP);
  }

  /** The host queue of the worker the generation is denoising on. */
  String hostOf(String generationId) {
    return temporal
        .client()
        .newWorkflowStub(GenerationWorkflow.class, generationId)
        .status()
        .gpuHost();
  }

  private ChildJvm worker(String hostQueue) {
    return hostQueue.equals("gpu-host-first") ? first : second;
  }

  @Override
  public void close() throws InterruptedException {
    try {
      close(second);
      close(first);
    } finally {
      platform.close();
    }
  }

  private static void close(ChildJvm worker) throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
  }
}
