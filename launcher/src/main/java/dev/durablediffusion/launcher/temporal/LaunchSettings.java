package dev.durablediffusion.launcher.temporal;

import dev.durablediffusion.storage.StorageProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The settings the launcher needs before the application starts, read from the same sources and
 * with the same relaxed names as the application's (arguments, system properties, environment,
 * then the packaged {@code application.yml}).
 */
public record LaunchSettings(
    EmbeddedTemporalProperties temporal,
    String externalTarget,
    Path dataDirectory,
    String namespace) {

  public static LaunchSettings read(String[] args) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
    try {
      environment
          .getPropertySources()
          .addLast(
              new YamlPropertySourceLoader()
                  .load("application.yml", new ClassPathResource("application.yml"))
                  .get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Binder binder = Binder.get(environment);
    return new LaunchSettings(
        binder.bindOrCreate("dd.temporal", EmbeddedTemporalProperties.class),
        environment.getProperty("spring.temporal.connection.target"),
        binder.bindOrCreate("dd.storage.filesystem", StorageProperties.Filesystem.class).root(),
        environment.getProperty("spring.temporal.namespace", "default"));
  }

  public EmbeddedTemporal startTemporal() {
    return EmbeddedTemporal.start(
        temporal, externalTarget, dataDirectory, namespace, System.getenv(), jarDirectory());
  }

  /** The folder of the jar the launcher runs from ({@code java -jar}), if it runs from one. */
  private static Optional<Path> jarDirectory() {
    Path classPath = Path.of(System.getProperty("java.class.path", ""));
    return classPath.toString().endsWith(".jar") && Files.isRegularFile(classPath)
        ? Optional.ofNullable(classPath.toAbsolutePath().getParent())
        : Optional.empty();
  }
}
