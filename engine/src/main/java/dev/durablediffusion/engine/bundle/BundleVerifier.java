package dev.durablediffusion.engine.bundle;

import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.InvalidBundleException;
import dev.durablediffusion.model.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Checks a bundle directory against its manifest: every file present with its size and sha256. */
public final class BundleVerifier {

  private BundleVerifier() {}

  public static VerifiedBundle verify(Path directory) {
    String source =
        directory.getFileName() == null ? directory.toString() : directory.getFileName().toString();
    byte[] manifestBytes;
    try {
      manifestBytes = Files.readAllBytes(directory.resolve(BundleManifests.MANIFEST_FILE));
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(
          source, BundleManifests.MANIFEST_FILE, "is missing in " + directory);
    } catch (IOException e) {
      throw new InvalidBundleException(
          source, BundleManifests.MANIFEST_FILE, "cannot be read: " + e.getMessage(), e);
    }
    BundleManifest manifest = BundleManifests.parse(manifestBytes, source);
    for (Map.Entry<String, BundleManifest.Component> entry : manifest.components().entrySet()) {
      verifyComponent(manifest.name(), directory, entry.getValue());
    }
    return new VerifiedBundle(directory, manifest, Digests.sha256(manifestBytes));
  }

  /**
   * Whether the directory holds the manifest and every component at its declared size: the cheap
   * check of a copy verified before, which catches a file lost or cut short since.
   */
  public static boolean hasAllFiles(Path directory, BundleManifest manifest) {
    return Files.isRegularFile(directory.resolve(BundleManifests.MANIFEST_FILE))
        && manifest.components().values().stream()
            .allMatch(
                c -> {
                  Path file = directory.resolve(c.file());
                  return Files.isRegularFile(file) && file.toFile().length() == c.bytes();
                });
  }

  private static void verifyComponent(
      String bundle, Path directory, BundleManifest.Component component) {
    Path file = directory.resolve(component.file());
    if (!Files.isRegularFile(file)) {
      throw new InvalidBundleException(bundle, component.file(), "is missing");
    }
    long size = file.toFile().length();
    if (size != component.bytes()) {
      throw new InvalidBundleException(
          bundle, component.file(), "has " + size + " bytes, manifest says " + component.bytes());
    }
    String actual;
    try (InputStream in = Files.newInputStream(file)) {
      actual = Digests.sha256(in);
    } catch (IOException e) {
      throw new InvalidBundleException(
          bundle, component.file(), "cannot be read: " + e.getMessage(), e);
    }
    if (!actual.equals(component.sha256())) {
      throw new InvalidBundleException(
          bundle,
          component.file(),
          "is corrupted: sha256 " + actual + ", manifest says " + component.sha256());
    }
  }
}
