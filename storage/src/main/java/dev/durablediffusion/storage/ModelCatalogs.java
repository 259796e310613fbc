package dev.durablediffusion.storage;

import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.ModelCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Builds the catalog from the manifests this process can see: bundles shipped on the classpath
 * ({@code models/<name>/manifest.json}), an optional local directory, and, when enabled, the models
 * area of storage; a later source wins for a name found in several.
 */
public final class ModelCatalogs {

  private ModelCatalogs() {}

  public static ModelCatalog load(
      ClassLoader classLoader,
      Path directory,
      ObjectStore store,
      boolean fromStorage,
      String defaultModel) {
    Map<String, BundleManifest> manifests = new LinkedHashMap<>();
    fromClasspath(classLoader).forEach(m -> manifests.put(m.name(), m));
    if (directory != null) {
      fromDirectory(directory).forEach(m -> manifests.put(m.name(), m));
    }
    if (fromStorage) {
      fromStorage(store).forEach(m -> manifests.put(m.name(), m));
    }
    return new ModelCatalog(manifests.values(), defaultModel);
  }

  private static List<BundleManifest> fromClasspath(ClassLoader classLoader) {
    List<BundleManifest> manifests = new ArrayList<>();
    try {
      Resource[] resources =
          new PathMatchingResourcePatternResolver(classLoader)
              .getResources("classpath*:models/*/" + BundleManifests.MANIFEST_FILE);
      for (Resource resource : resources) {
        try (InputStream in = resource.getInputStream()) {
          manifests.add(BundleManifests.parse(in.readAllBytes(), resource.getDescription()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("model manifests on the classpath cannot be read", e);
    }
    return manifests;
  }

  private static List<BundleManifest> fromDirectory(Path directory) {
    List<BundleManifest> manifests = new ArrayList<>();
    try (Stream<Path> bundles = Files.list(directory)) {
      for (Path manifest :
          bundles
              .map(b -> b.resolve(BundleManifests.MANIFEST_FILE))
              .filter(Files::isRegularFile)
              .toList()) {
        manifests.add(BundleManifests.parse(Files.readAllBytes(manifest), manifest.toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("model manifests in " + directory + " cannot be read", e);
    }
    return manifests;
  }

  private static List<BundleManifest> fromStorage(ObjectStore store) {
    List<BundleManifest> manifests = new ArrayList<>();
    for (String key : store.list(StorageArea.MODELS, "")) {
      if (key.endsWith("/" + BundleManifests.MANIFEST_FILE)
          && key.indexOf('/') == key.lastIndexOf('/')) {
        ObjectRef ref = new ObjectRef(StorageArea.MODELS, key);
        store
            .get(ref)
            .ifPresent(bytes -> manifests.add(BundleManifests.parse(bytes, ref.toString())));
      }
    }
    return manifests;
  }
}
