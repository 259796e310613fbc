package dev.durablediffusion.bench;

import dev.durablediffusion.launcher.DurableDiffusion;
import io.temporal.client.WorkflowClient;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default started in this JVM the way the launcher starts it: a port-bound Temporal
 * test server and the launcher's application (API, workflow and CPU worker, GPU worker on the CPU).
 */
final class EmbeddedPlatform implements AutoCloseable {

  private final TestServer.PortBoundTestServer temporal;
  private final ConfigurableApplicationContext context;

  private EmbeddedPlatform(
      TestServer.PortBoundTestServer temporal, ConfigurableApplicationContext context) {
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
    int port = freePort();
    TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.temporal.connection.target", "127.0.0.1:" + port);
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
      temporal.close();
      throw e;
    }
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
    temporal.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
