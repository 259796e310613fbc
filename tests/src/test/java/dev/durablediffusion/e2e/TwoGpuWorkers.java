package dev.durablediffusion.e2e;

import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The platform with its GPU work in two GPU worker JVMs of their own (host queues {@code
 * gpu-host-first} and {@code gpu-host-second}) and timeouts short enough that a killed host is
 * given up within seconds. Tenant {@code a} submits with {@code key-a}.
 */
final class TwoGpuWorkers implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofMinutes(3);

  private final TemporalServerProcess temporal;
  private final InProcessPlatform platform;
  private final ChildJvm first;
  private final ChildJvm second;

  TwoGpuWorkers(TemporalServerProcess temporal, Path data) throws Exception {
    this.temporal = temporal;
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
      firstWorker = worker("gpu-host-first", temporal, data);
      secondWorker = worker("gpu-host-second", temporal, data);
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

  private static ChildJvm worker(String hostQueue, TemporalServerProcess temporal, Path data) {
    return GpuWorkerJvm.start(hostQueue, temporal, data, "--dd.gpu.progress-interval=100ms");
  }

  int port() {
    return platform.port();
  }

  /** Kills the worker the generation is denoising on and returns its host queue. */
  String killTheHostOf(String generationId) throws InterruptedException {
    GenerationWorkflow generation =
        temporal.client().newWorkflowStub(GenerationWorkflow.class, generationId);
    String victim = generation.status().gpuHost();
    (victim.equals("gpu-host-first") ? first : second).kill();
    return victim;
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
