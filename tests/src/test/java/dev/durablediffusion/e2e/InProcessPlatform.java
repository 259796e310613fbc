package dev.durablediffusion.e2e;

import dev.durablediffusion.launcher.DurableDiffusion;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** The launcher's application (API and every worker) started in this JVM against a test server. */
final class InProcessPlatform implements AutoCloseable {

  private final ConfigurableApplicationContext context;

  InProcessPlatform(TemporalServerProcess temporal, Path dataDir, Map<String, Object> overrides) {
    this(temporal, dataDir, overrides, new Class<?>[0]);
  }

  /**
   * @param extraSources configuration classes added to the launcher's, for beans only a test wants
   */
  InProcessPlatform(
      TemporalServerProcess temporal,
      Path dataDir,
      Map<String, Object> overrides,
      Class<?>... extraSources) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.temporal.connection.target", temporal.target());
    properties.put("server.port", 0);
    properties.put("dd.storage.filesystem.root", dataDir.toString());
    properties.put("dd.gpu.model-cache-directory", dataDir.resolve("model-cache").toString());
    properties.put("dd.gpu.progress-interval", "100ms");
    properties.putAll(overrides);
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    SpringApplication application = new SpringApplication(DurableDiffusion.class);
    application.addPrimarySources(List.of(extraSources));
    this.context = application.run(args);
  }

  int port() {
    return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
