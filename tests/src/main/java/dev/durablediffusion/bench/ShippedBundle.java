package dev.durablediffusion.bench;

import dev.durablediffusion.engine.bundle.BundleVerifier;
import dev.durablediffusion.engine.bundle.ClasspathBundleSource;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.engine.cache.CachedBundle;
import dev.durablediffusion.engine.cache.ModelCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The bundle a benchmark runs: a directory given on the command line, or the one shipped in the
 * jar.
 */
final class ShippedBundle {

  static final String DEFAULT_MODEL = "tiny-shapes";

  private ShippedBundle() {}

  /**
   * {@code directory} null copies the classpath's {@code models/tiny-shapes/} to a temporary
   * directory.
   */
  static VerifiedBundle resolve(String directory) {
    if (directory != null) {
      return BundleVerifier.verify(Path.of(directory));
    }
    ModelCache cache =
        new ModelCache(
            TemporaryDirectory.create("dd-bench-models"),
            Long.MAX_VALUE,
            List.of(
                new ClasspathBundleSource(
                    ShippedBundle.class.getClassLoader(), Set.of(DEFAULT_MODEL))));
    try (CachedBundle cached = cache.fetch(DEFAULT_MODEL)) {
      return cached.bundle();
    }
  }
}
