package dev.durablediffusion.bench;

import dev.durablediffusion.launcher.DurableDiffusion;
import io.temporal.client.WorkflowClient;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporal;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporalProperties;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporalProperties.Server;
import dev.durablediffusion.testing.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default started in this JVM the way the launcher starts it: its Temporal server
 * ({@code -Ddd.temporal.server=dev-server}, the default, or {@code in-memory} for the test server)
 * on a free port, and the launcher's application (API, workflow and CPU worker, GPU worker on the
 * CPU).
 */
final class EmbeddedPlatform implements AutoCloseable {

  private final EmbeddedTemporal temporal;
  private final ConfigurableApplicationContext context;

  private EmbeddedPlatform(EmbeddedTemporal temporal, ConfigurableApplicationContext context) {
    this.temporal = temporal;
    this.context = context;
  }

  /** {@code modelsDirectory} null serves the bundles shipped on the classpath. */
  static EmbeddedPlatform start(Path dataDirectory, String modelsDirectory) throws IOException {
    return start(dataDirectory, modelsDirectory, Map.of());
  }

  /** As {@link #start(Path, String)}, with properties that replace the defaults. */
  static EmbeddedPlatform start(
      Path dataDirectory, String modelsDirectory, Map<String, String> overrides)
      throws IOException {
    return start(dataDirectory, modelsDirectory, overrides, Map.of());
  }

  /**
   * As {@link #start(Path, String, Map)}, with dev server dynamic configuration over the
   * launcher's ({@code dd.temporal.dynamic-config}).
   */
  static EmbeddedPlatform start(
      Path dataDirectory,
      String modelsDirectory,
      Map<String, String> overrides,
      Map<String, String> dynamicConfig)
      throws IOException {
    EmbeddedTemporal temporal =
        EmbeddedTemporal.start(
            new EmbeddedTemporalProperties(
                Server.valueOf(
                    System.getProperty("dd.temporal.server", "dev-server")
                        .toUpperCase()
                        .replace('-', '_')),
                null,
                "127.0.0.1",
                Ports.free(),
                0,
                null,
                Duration.ofHours(24),
                Duration.ofSeconds(60),
                dynamicConfig),
            null,
            dataDirectory,
            "default",
            System.getenv(),
            Optional.empty());
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.temporal.connection.target", temporal.target());
    properties.put("server.port", "0");
    properties.put("dd.storage.filesystem.root", dataDirectory.toString());
    properties.put("dd.gpu.model-cache-directory", dataDirectory.resolve("model-cache").toString());
    properties.put(
        "dd.api.keys", "bench:dd_bench_" + UUID.randomUUID().toString().replace("-", ""));
    properties.put("spring.main.banner-mode", "off");
    properties.put("logging.level.root", "WARN");
    if (modelsDirectory != null) {
      properties.put("dd.models.directory", modelsDirectory);
    }
    properties.putAll(overrides);
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    try {
      return new EmbeddedPlatform(
          temporal, new SpringApplication(DurableDiffusion.class).run(args));
    } catch (RuntimeException e) {
      closeQuietly(temporal);
      throw e;
    }
  }

  /** Which Temporal server it runs on, in words. */
  String temporalDescription() {
    return temporal.description();
  }

  /** The dev server's process, when the platform runs on one. */
  Optional<ProcessHandle> temporalProcess() {
    return temporal.serverProcess();
  }

  int apiPort() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  WorkflowClient workflowClient() {
    return context.getBean(WorkflowClient.class);
  }

  @Override
  public void close() {
    context.close();
    closeQuietly(temporal);
  }

  private static void closeQuietly(EmbeddedTemporal temporal) {
    try {
      temporal.close();
    } catch (Exception e) {
      System.err.println("stopping Temporal: " + e);
    }
  }
}
