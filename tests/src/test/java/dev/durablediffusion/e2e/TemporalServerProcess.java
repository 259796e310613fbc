package dev.durablediffusion.e2e;

import dev.durablediffusion.launcher.temporal.EmbeddedTemporalProperties;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporalProperties.Server;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporal;
import dev.durablediffusion.launcher.temporal.SupervisedDevServer;
import dev.durablediffusion.launcher.temporal.TemporalStartupException;
import dev.durablediffusion.testing.Ports;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.util.FileSystemUtils;

/**
 * The Temporal CLI's dev server as the embedded default runs it (supervised, on a SQLite file), on
 * a free loopback port so the processes of one test share it and tests do not share one.
 */
final class TemporalServerProcess implements AutoCloseable {

  private static final int PORT_ATTEMPTS = 3;

  private final SupervisedDevServer server;
  private final WorkflowServiceStubs stubs;
  private final Path ownFolder;

  /** A fresh server on an empty database, deleted when it closes. */
  TemporalServerProcess() {
    this(temporaryDatabase(), true);
  }

  /** A server on {@code database}: the same file again is a restart of the same server. */
  TemporalServerProcess(Path database) {
    this(database, false);
  }

  private TemporalServerProcess(Path database, boolean owned) {
    this.ownFolder = owned ? database.getParent() : null;
    this.server = startOnAFreePort(database);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "temporal-server-stop"));
    this.stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
  }

  /**
   * A port free when probed can be taken before the server binds it (the CLI picks its other ports
   * itself); the server then exits at start, and a fresh port is tried.
   */
  private static SupervisedDevServer startOnAFreePort(Path database) {
    for (int attempt = 1; ; attempt++) {
      EmbeddedTemporalProperties settings =
          new EmbeddedTemporalProperties(
              Server.DEV_SERVER,
              null,
              "127.0.0.1",
              Ports.free(),
              0,
              database,
              Duration.ofHours(24),
              Duration.ofSeconds(60),
              Map.of());
      try {
        return EmbeddedTemporal.devServer(settings, "default");
      } catch (TemporalStartupException portTaken) {
        if (attempt == PORT_ATTEMPTS) {
          throw portTaken;
        }
      }
    }
  }

  private static Path temporaryDatabase() {
    try {
      return Files.createTempDirectory("temporal-").resolve("temporal.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String target() {
    return server.target();
  }

  WorkflowClient client() {
    return WorkflowClient.newInstance(stubs);
  }

  /** The server's process now, to kill it as a crash would. */
  ProcessHandle process() {
    return server.process();
  }

  /** How often the supervisor started the server again after it died. */
  int restarts() {
    return server.restarts();
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    server.close();
    if (ownFolder != null) {
      FileSystemUtils.deleteRecursively(ownFolder.toFile());
    }
  }
}
