package dev.durablediffusion.engine.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** Somewhere bundles come from: a local directory, the classpath, or the models area of storage. */
public interface BundleSource {

  /** Names of the bundles offered. */
  Set<String> models() throws IOException;

  /** The raw {@code manifest.json} of a bundle, or empty when this source lacks it. */
  Optional<byte[]> manifest(String model) throws IOException;

  /** Copies one file of the bundle to {@code target}. */
  void copyFile(String model, String file, Path target) throws IOException;

  /** Where the bundles are, for messages. */
  String describe();
}
