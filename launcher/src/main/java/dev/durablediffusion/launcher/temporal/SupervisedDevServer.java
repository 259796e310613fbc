package dev.durablediffusion.launcher.temporal;

import com.google.protobuf.util.Durations;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TemporalDevServer;
import io.temporal.testing.TemporalDevServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal CLI's dev server as a child process (started by the SDK's {@link
 * TemporalDevServer}) that is started again on the same database whenever it dies, until {@link
 * #close()}.
 */
public final class SupervisedDevServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SupervisedDevServer.class);
  private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(30);

  private final TemporalCli cli;
  private final DevServerFiles files;
  private final EmbeddedTemporalProperties settings;
  private final String namespace;
  private final ExecutorService supervisor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "temporal-supervisor");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean closing;
  private volatile TemporalDevServer server;
  private volatile ProcessHandle process;
  private volatile int restarts;

  private SupervisedDevServer(
      TemporalCli cli, DevServerFiles files, EmbeddedTemporalProperties settings, String namespace) {
    this.cli = cli;
    this.files = files;
    this.settings = settings;
    this.namespace = namespace;
  }

  /**
   * Starts the server and returns once it answers.
   *
   * @throws TemporalStartupException when it does not start, with the reason from its log
   */
  static SupervisedDevServer start(
      TemporalCli cli, DevServerFiles files, EmbeddedTemporalProperties settings, String namespace) {
    SupervisedDevServer supervised = new SupervisedDevServer(cli, files, settings, namespace);
    supervised.launch();
    return supervised;
  }

  public String target() {
    return settings.target();
  }

  /** The server's process now (a new one after each restart). */
  public ProcessHandle process() {
    return process;
  }

  /** How often the server was started again after it died. */
  public int restarts() {
    return restarts;
  }

  private synchronized void launch() {
    files.rotateLog();
    TemporalDevServerOptions.Builder options =
        TemporalDevServerOptions.newBuilder()
            .setExistingPath(cli.binary().toString())
            .setDownloadEnabled(false)
            .setIp(settings.ip())
            .setPort(settings.port())
            .setDatabaseFilename(files.database().toString())
            .setLogFile(files.log().toString())
            .setLogFormat("json")
            .setLogLevel("warn")
            .setStartupTimeout(settings.startupTimeout())
            .setExtraArgs(extraArgs());
    if (settings.uiPort() > 0) {
      options.setUiEnabled(true).setUiPort(settings.uiPort());
    } else {
      options.setUiEnabled(false);
    }
    try {
      server = TemporalDevServer.start(namespace, options.build());
    } catch (IllegalStateException failed) {
      throw new TemporalStartupException(
          "the Temporal dev server did not start (its log: " + files.log() + "): "
              + failed.getMessage(),
          failed);
    }
    process = child();
    files.recordPid(process.pid());
    applyRetention();
    process.onExit().thenRunAsync(this::restartUnlessClosing, supervisor);
  }

  private List<String> extraArgs() {
    List<String> args = new ArrayList<>(List.of("--sqlite-pragma", "journal_mode=wal"));
    args.addAll(DevServerDynamicConfig.arguments(settings.dynamicConfig()));
    return args;
  }

  /** The process the SDK's launcher just started: the child running on this database. */
  private ProcessHandle child() {
    String database = files.database().toString();
    return ProcessHandle.current()
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(line -> line.contains("start-dev") && line.contains(database))
                    .orElse(false))
        .findFirst()
        .orElseThrow(() -> new TemporalStartupException("the Temporal dev server exited at start"));
  }

  private void applyRetention() {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(settings.target()).build());
    try {
      stubs
          .blockingStub()
          .updateNamespace(
              UpdateNamespaceRequest.newBuilder()
                  .setNamespace(namespace)
                  .setConfig(
                      NamespaceConfig.newBuilder()
                          .setWorkflowExecutionRetentionTtl(
                              Durations.fromMillis(settings.retention().toMillis())))
                  .build());
    } finally {
      stubs.shutdownNow();
    }
  }

  private void restartUnlessClosing() {
    Duration backoff = Duration.ofSeconds(1);
    while (!closing) {
      log.warn(
          "the Temporal dev server (pid {}) died; starting it again on {}",
          process.pid(),
          files.database());
      try {
        server.close();
        launch();
        restarts++;
        log.warn("the Temporal dev server is back (pid {})", process.pid());
        return;
      } catch (RuntimeException failed) {
        log.error("the Temporal dev server did not start again: {}", failed.getMessage());
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0
            ? LONGEST_BACKOFF
            : backoff.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and its supervision. */
  @Override
  public void close() {
    closing = true;
    synchronized (this) {
      server.close();
      files.clearPid();
    }
    supervisor.shutdownNow();
    try {
      supervisor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
