package dev.durablediffusion.engine.bundle;

import dev.durablediffusion.model.BundleManifests;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;

/** Bundles shipped inside the jar under {@code models/<model>/}: the default models. */
public final class ClasspathBundleSource implements BundleSource {

  private final ClassLoader classLoader;
  private final Set<String> models;

  public ClasspathBundleSource(ClassLoader classLoader, Set<String> models) {
    this.classLoader = classLoader;
    this.models = Set.copyOf(models);
  }

  @Override
  public Set<String> models() {
    return models;
  }

  @Override
  public Optional<byte[]> manifest(String model) throws IOException {
    if (!models.contains(model)) {
      return Optional.empty();
    }
    try (InputStream in =
        classLoader.getResourceAsStream(resource(model, BundleManifests.MANIFEST_FILE))) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    }
  }

  @Override
  public void copyFile(String model, String file, Path target) throws IOException {
    try (InputStream in = open(model, ModelNames.checkFile(file))) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private InputStream open(String model, String file) throws IOException {
    String resource = resource(model, file);
    InputStream in = classLoader.getResourceAsStream(resource);
    if (in == null) {
      throw new FileNotFoundException("classpath:" + resource);
    }
    return in;
  }

  private static String resource(String model, String file) {
    return "models/" + ModelNames.check(model) + "/" + file;
  }

  @Override
  public String describe() {
    return "classpath models/" + models;
  }
}
