package dev.durablediffusion.e2e;

import dev.durablediffusion.storage.AzuriteExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * A fresh Temporal dev server and the launcher's application in this JVM, shared by the tests of
 * one class: registered as a static {@code @RegisterExtension} field, it starts before the class's
 * {@code @BeforeAll} methods and stops after its {@code @AfterAll} ones, on a data directory of its
 * own that it deletes.
 */
final class RunningPlatform implements BeforeAllCallback, AfterAllCallback {

  /** The platform's properties, made once its data directory exists. */
  @FunctionalInterface
  interface Properties {
    Map<String, Object> in(Path dataDirectory) throws Exception;
  }

  private final Properties properties;
  private final AzuriteExtension azurite;
  private Path data;
  private TemporalServerProcess temporal;
  private InProcessPlatform platform;

  private RunningPlatform(Properties properties, AzuriteExtension azurite) {
    this.properties = properties;
    this.azurite = azurite;
  }

  static RunningPlatform with(Map<String, Object> properties) {
    return new RunningPlatform(data -> properties, null);
  }

  /** For properties that name files in the data directory or values made before the start. */
  static RunningPlatform with(Properties properties) {
    return new RunningPlatform(properties, null);
  }

  /** On the Azure Blob store of an Azurite of its own, started first and stopped last. */
  static RunningPlatform onAzurite(Map<String, Object> properties) {
    AzuriteExtension azurite = new AzuriteExtension();
    return new RunningPlatform(
        data -> {
          Map<String, Object> all = new HashMap<>(properties);
          all.put("dd.storage.type", "azure-blob");
          all.put("dd.storage.azure.connection-string", azurite.connectionString());
          return all;
        },
        azurite);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (azurite != null) {
      azurite.beforeAll(context);
    }
    data = Files.createTempDirectory("dd-" + context.getRequiredTestClass().getSimpleName() + "-");
    temporal = new TemporalServerProcess();
    platform = new InProcessPlatform(temporal, data, properties.in(data));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (platform != null) {
        platform.close();
      }
    } finally {
      if (temporal != null) {
        temporal.close();
      }
      FileSystemUtils.deleteRecursively(data);
      if (azurite != null) {
        azurite.afterAll(context);
      }
    }
  }

  int port() {
    return platform.port();
  }

  /** The Azurite under the platform, for a test that stops and starts it. */
  AzuriteExtension azurite() {
    return azurite;
  }

  Path data() {
    return data;
  }

  <T> T bean(Class<T> type) {
    return platform.bean(type);
  }
}
