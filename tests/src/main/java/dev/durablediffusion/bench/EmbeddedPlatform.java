package dev.durablediffusion.bench;

import dev.durablediffusion.launcher.DurableDiffusion;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporal;
import dev.durablediffusion.launcher.temporal.EmbeddedTemporalProperties;
import dev.durablediffusion.testing.Ports;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

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
            temporalSettings(dynamicConfig),
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

  /** The address of its Temporal server, for workers in other processes. */
  String temporalTarget() {
    return temporal.target();
  }

  int apiPort() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  WorkflowClient workflowClient() {
    return context.getBean(WorkflowClient.class);
  }

  /**
   * The launcher's {@code dd.temporal.*} settings from system properties ({@code
   * -Ddd.temporal.server=in-memory} for the test server) and their defaults, on a free port with
   * no Web UI.
   */
  private static EmbeddedTemporalProperties temporalSettings(Map<String, String> dynamicConfig) {
    Map<String, Object> fixed = new LinkedHashMap<>();
    fixed.put("dd.temporal.port", Ports.free());
    fixed.put("dd.temporal.ui-port", 0);
    dynamicConfig.forEach(
        (key, value) -> fixed.put("dd.temporal.dynamic-config[" + key + "]", value));
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("benchmark", fixed));
    return Binder.get(environment).bindOrCreate("dd.temporal", EmbeddedTemporalProperties.class);
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
