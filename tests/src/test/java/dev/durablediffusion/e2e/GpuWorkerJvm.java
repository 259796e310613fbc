package dev.durablediffusion.e2e;

import dev.durablediffusion.gpu.app.GpuWorkerApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A GPU worker in a JVM of its own, on the filesystem store of {@code data}, as a pod runs it. */
final class GpuWorkerJvm {

  private GpuWorkerJvm() {}

  /**
   * @param settings further {@code --name=value} arguments
   */
  static ChildJvm start(
      String hostQueue, TemporalServerProcess temporal, Path data, String... settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.temporal.connection.target=" + temporal.target(),
                "--spring.main.web-application-type=none",
                "--dd.cpu.enabled=false",
                "--dd.gpu.host-task-queue=" + hostQueue,
                "--dd.gpu.model-cache-directory=" + data.resolve("cache-" + hostQueue),
                "--dd.storage.filesystem.root=" + data));
    args.addAll(List.of(settings));
    return ChildJvm.start(hostQueue, data.resolve("logs"), GpuWorkerApplication.class, args);
  }
}
