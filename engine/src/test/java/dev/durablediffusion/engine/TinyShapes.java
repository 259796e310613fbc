package dev.durablediffusion.engine;

import ai.djl.Device;
import dev.durablediffusion.engine.bundle.ClasspathBundleSource;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.engine.cache.CachedBundle;
import dev.durablediffusion.engine.cache.ModelCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The shipped bundles, copied out of the classpath once per test JVM. */
final class TinyShapes {

  static final String MODEL = "tiny-shapes";
  static final String UPSCALER = "tiny-upscaler-x4";
  private static ModelCache cache;
  private static DiffusionModel model;

  private TinyShapes() {}

  static synchronized VerifiedBundle bundle(String name) {
    if (cache == null) {
      System.setProperty("ai.djl.offline", "true");
      try {
        Path dir = Files.createTempDirectory("dd-test-models");
        dir.toFile().deleteOnExit();
        cache =
            new ModelCache(
                dir,
                Long.MAX_VALUE,
                List.of(
                    new ClasspathBundleSource(
                        TinyShapes.class.getClassLoader(), Set.of(MODEL, UPSCALER))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try (CachedBundle cached = cache.fetch(name)) {
      return cached.bundle();
    }
  }

  /** One loaded model shared by the tests of a JVM, like a worker's warm pool would. */
  static synchronized DiffusionModel model() {
    if (model == null) {
      model = DiffusionModel.load(bundle(MODEL), Device.cpu());
    }
    return model;
  }
}
