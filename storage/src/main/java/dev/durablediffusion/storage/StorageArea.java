package dev.durablediffusion.storage;

import java.util.Arrays;

/** The three areas of storage; each is a directory (filesystem) or a container (Azure Blob). */
public enum StorageArea {
  /** Model bundles, written by the exporter and read by GPU workers. */
  MODELS("models"),
  /** Intermediate artefacts of running generations (latents, unscaled images). */
  WORK("work"),
  /** Finished images served to clients. */
  OUTPUTS("outputs");

  private final String defaultName;

  StorageArea(String defaultName) {
    this.defaultName = defaultName;
  }

  /** The area's name in object references and its default directory or container name. */
  public String defaultName() {
    return defaultName;
  }

  /** The area whose {@link #defaultName()} is {@code name}. */
  public static StorageArea named(String name) {
    return Arrays.stream(values())
        .filter(area -> area.defaultName.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown storage area '" + name + "': expected models, work or outputs"));
  }
}
