package dev.durablediffusion.launcher.temporal;

import io.temporal.testserver.TestServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal server the embedded default runs on, chosen by {@code dd.temporal.server}: the
 * supervised dev server on a SQLite file in the data directory (the default), a server already
 * answering on the configured address (used as it is), Temporal's in-memory test server (only
 * when asked for), or none when the platform is pointed at a server elsewhere.
 */
public final class EmbeddedTemporal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporal.class);

  private final String target;
  private final String description;
  private final AutoCloseable server;

  private EmbeddedTemporal(String target, String description, AutoCloseable server) {
    this.target = target;
    this.description = description;
    this.server = server;
  }

  /**
   * @param externalTarget {@code spring.temporal.connection.target} when it is set: nothing starts
   * @param dataDirectory where the dev server's database goes unless {@code dd.temporal.database}
   *     says otherwise
   * @throws TemporalStartupException with what to do, when the server cannot be had
   */
  public static EmbeddedTemporal start(
      EmbeddedTemporalProperties settings,
      String externalTarget,
      Path dataDirectory,
      String namespace,
      Map<String, String> environment,
      Optional<Path> jarDirectory) {
    if (externalTarget != null || settings.server() == EmbeddedTemporalProperties.Server.NONE) {
      String target = externalTarget != null ? externalTarget : settings.target();
      return new EmbeddedTemporal(target, "Temporal at " + target, () -> {});
    }
    if (settings.server() == EmbeddedTemporalProperties.Server.IN_MEMORY) {
      log.warn(
          "dd.temporal.server=in-memory: Temporal's test server keeps everything in memory;"
              + " nothing survives a restart");
      TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(settings.port());
      return new EmbeddedTemporal(
          "127.0.0.1:" + settings.port(),
          "Temporal's in-memory test server on 127.0.0.1:"
              + settings.port()
              + ", nothing survives a restart",
          server);
    }
    DevServerFiles files = new DevServerFiles(settings.databaseIn(dataDirectory));
    files.leftBehind().ifPresent(EmbeddedTemporal::stopLeftBehind);
    switch (PortProbe.probe(settings.ip(), settings.port())) {
      case TEMPORAL -> {
        log.info("a Temporal server already answers on {}: using it", settings.target());
        return new EmbeddedTemporal(
            settings.target(), "the Temporal server already on " + settings.target(), () -> {});
      }
      case SOMETHING_ELSE ->
          throw new TemporalStartupException(
              "port "
                  + settings.port()
                  + " on "
                  + settings.ip()
                  + " is held by something that is not a Temporal server: stop it, or set"
                  + " dd.temporal.port to a free port");
      case NOTHING -> {}
    }
    TemporalCli cli = TemporalCli.locate(settings.cli(), environment, jarDirectory);
    SupervisedDevServer server = devServer(cli, files, settings, namespace);
    String ui = settings.uiPort() > 0 ? ", Web UI http://" + settings.ip() + ":" + settings.uiPort() : "";
    return new EmbeddedTemporal(
        server.target(),
        "Temporal dev server v" + cli.version() + " on " + server.target() + ui + ", state in "
            + files.database(),
        server);
  }

  /**
   * The supervised dev server alone, on {@code settings.database()}, with the binary found as
   * {@link TemporalCli#locate} says (for tests and benchmarks that run the platform in-process).
   */
  public static SupervisedDevServer devServer(EmbeddedTemporalProperties settings, String namespace) {
    return devServer(
        TemporalCli.locate(settings.cli(), System.getenv(), Optional.empty()),
        new DevServerFiles(settings.database()),
        settings,
        namespace);
  }

  private static SupervisedDevServer devServer(
      TemporalCli cli,
      DevServerFiles files,
      EmbeddedTemporalProperties settings,
      String namespace) {
    files.claimFor(cli.version());
    return SupervisedDevServer.start(cli, files, settings, namespace);
  }

  /** A launcher killed with {@code kill -9} leaves its server running unsupervised: stop it. */
  private static void stopLeftBehind(ProcessHandle orphan) {
    log.warn("stopping the Temporal dev server (pid {}) a previous run left behind", orphan.pid());
    orphan.destroy();
    try {
      orphan.onExit().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException stillAlive) {
      orphan.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String target() {
    return target;
  }

  /** The supervised dev server's process now, when this runs one. */
  public Optional<ProcessHandle> serverProcess() {
    return server instanceof SupervisedDevServer devServer
        ? Optional.of(devServer.process())
        : Optional.empty();
  }

  /** One line for the start-up banner. */
  public String description() {
    return description;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
