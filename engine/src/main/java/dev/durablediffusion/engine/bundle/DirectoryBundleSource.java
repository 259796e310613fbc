package dev.durablediffusion.engine.bundle;

import dev.durablediffusion.model.BundleManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Bundles as subdirectories of a local directory: {@code root/<model>/manifest.json}. */
public final class DirectoryBundleSource implements BundleSource {

  private final Path root;

  public DirectoryBundleSource(Path root) {
    this.root = root;
  }

  @Override
  public Set<String> models() throws IOException {
    if (!Files.isDirectory(root)) {
      return Set.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve(BundleManifests.MANIFEST_FILE)))
          .map(d -> d.getFileName().toString())
          .collect(Collectors.toCollection(java.util.TreeSet::new));
    }
  }

  @Override
  public Optional<byte[]> manifest(String model) throws IOException {
    Path manifest = bundleDir(model).resolve(BundleManifests.MANIFEST_FILE);
    return Files.isRegularFile(manifest)
        ? Optional.of(Files.readAllBytes(manifest))
        : Optional.empty();
  }

  @Override
  public void copyFile(String model, String file, Path target) throws IOException {
    Files.copy(
        bundleDir(model).resolve(ModelNames.checkFile(file)),
        target,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private Path bundleDir(String model) {
    return root.resolve(ModelNames.check(model));
  }

  @Override
  public String describe() {
    return "directory " + root;
  }
}
