package dev.durablediffusion.engine.bundle;

import dev.durablediffusion.model.BundleManifest;
import java.nio.file.Path;

/**
 * A bundle directory whose files all matched their manifest checksums.
 *
 * @param digest sha256 of {@code manifest.json}; identifies this exact version of the model
 */
public record VerifiedBundle(Path directory, BundleManifest manifest, String digest) {

  public Path file(String component) {
    return directory.resolve(manifest.components().get(component).file());
  }

  public String name() {
    return manifest.name();
  }

  /** Bytes of all components: the basis of cache and memory budgets. */
  public long bytes() {
    return manifest.components().values().stream().mapToLong(BundleManifest.Component::bytes).sum();
  }
}
