package dev.durablediffusion.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.engine.bundle.BundleSource;
import dev.durablediffusion.engine.bundle.DirectoryBundleSource;
import dev.durablediffusion.model.InvalidBundleException;
import dev.durablediffusion.model.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {

  @TempDir Path temp;

  @Test
  void concurrentRequestsDownloadOnce() throws Exception {
    CountingSource source = new CountingSource(new DirectoryBundleSource(writeBundle("m", 1000)));
    ModelCache cache = new ModelCache(temp.resolve("cache"), Long.MAX_VALUE, List.of(source));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<CachedBundle>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      results.add(pool.submit((Callable<CachedBundle>) () -> fetched(cache, "m")));
    }
    int misses = 0;
    for (Future<CachedBundle> result : results) {
      misses += result.get().hit() ? 0 : 1;
    }
    pool.shutdown();

    assertThat(misses).isEqualTo(1);
    assertThat(source.copies).hasValue(1);
    assertThat(cache.cachedDirs()).hasSize(1);
  }

  @Test
  void aCorruptedDownloadLeavesNothingBehind() throws IOException {
    Path models = writeBundle("m", 1000);
    Files.writeString(models.resolve("m/weights.bin"), "tampered");
    ModelCache cache =
        new ModelCache(
            temp.resolve("cache"), Long.MAX_VALUE, List.of(new DirectoryBundleSource(models)));

    assertThatThrownBy(() -> cache.fetch("m"))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("weights.bin");
    try (var left = Files.list(temp.resolve("cache"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void evictsTheLeastRecentlyUsedBundleBeyondTheDiskBudget() throws IOException {
    Path models = writeBundle("a", 1000);
    writeBundleInto(models, "b", 1000);
    writeBundleInto(models, "c", 1000);
    ModelCache cache =
        new ModelCache(temp.resolve("cache"), 2600, List.of(new DirectoryBundleSource(models)));

    fetched(cache, "a");
    fetched(cache, "b");
    fetched(cache, "a");
    fetched(cache, "c");

    assertThat(modelsOnDisk(cache)).containsExactlyInAnyOrder("a", "c");
    assertThat(cache.bytes()).isLessThanOrEqualTo(2600);
  }

  @Test
  void aBundleStillBeingLoadedIsNotEvicted() throws IOException {
    Path models = writeBundle("a", 1000);
    writeBundleInto(models, "b", 1000);
    writeBundleInto(models, "c", 1000);
    ModelCache cache =
        new ModelCache(temp.resolve("cache"), 1600, List.of(new DirectoryBundleSource(models)));

    try (CachedBundle loading = cache.fetch("a")) {
      fetched(cache, "b");

      assertThat(modelsOnDisk(cache)).containsExactlyInAnyOrder("a", "b");
      assertThat(Files.readAllBytes(loading.bundle().directory().resolve("weights.bin")))
          .hasSize(1000);
    }
    fetched(cache, "c");

    assertThat(modelsOnDisk(cache)).containsExactly("c");
  }

  @Test
  void aCachedCopyWithATruncatedFileIsDownloadedAgain() throws IOException {
    ModelCache cache =
        new ModelCache(
            temp.resolve("cache"),
            Long.MAX_VALUE,
            List.of(new DirectoryBundleSource(writeBundle("m", 1000))));
    Path weights = fetched(cache, "m").bundle().directory().resolve("weights.bin");
    Files.write(weights, new byte[10]);

    CachedBundle again = fetched(cache, "m");

    assertThat(again.hit()).isFalse();
    assertThat(Files.size(again.bundle().directory().resolve("weights.bin"))).isEqualTo(1000);
  }

  @Test
  void anUnknownModelIsNamed() {
    ModelCache cache = new ModelCache(temp.resolve("cache"), Long.MAX_VALUE, List.of());

    assertThatThrownBy(() -> cache.fetch("nope"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void aNewVersionOfAModelIsFetchedAgain() throws IOException {
    Path models = writeBundle("m", 1000);
    ModelCache cache =
        new ModelCache(
            temp.resolve("cache"), Long.MAX_VALUE, List.of(new DirectoryBundleSource(models)));
    String first = fetched(cache, "m").bundle().digest();

    writeBundleInto(models, "m", 1200);

    CachedBundle second = fetched(cache, "m");
    assertThat(second.hit()).isFalse();
    assertThat(second.bundle().digest()).isNotEqualTo(first);
  }

  /** Fetches and closes at once, as a caller does once the model is loaded. */
  private static CachedBundle fetched(ModelCache cache, String model) {
    try (CachedBundle bundle = cache.fetch(model)) {
      return bundle;
    }
  }

  private static List<String> modelsOnDisk(ModelCache cache) {
    return cache.cachedDirs().stream()
        .map(d -> d.getFileName().toString().substring(0, 1))
        .toList();
  }

  private Path writeBundle(String name, int bytes) throws IOException {
    Path models = temp.resolve("models");
    writeBundleInto(models, name, bytes);
    return models;
  }

  private static void writeBundleInto(Path models, String name, int bytes) throws IOException {
    Path dir = models.resolve(name);
    Files.createDirectories(dir);
    byte[] weights = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      weights[i] = (byte) (i * 31 + name.hashCode());
    }
    Files.write(dir.resolve("weights.bin"), weights);
    String manifest =
        """
        {"format": 1, "name": "%s", "version": "1", "kind": "upscaler", "dtype": "float32",
         "components": {"model": {"file": "weights.bin", "sha256": "%s", "bytes": %d}},
         "upscale": {"scale": 4}}
        """
            .formatted(name, Digests.sha256(weights), bytes);
    Files.writeString(dir.resolve("manifest.json"), manifest, StandardCharsets.UTF_8);
  }

  private static final class CountingSource implements BundleSource {
    private final BundleSource delegate;
    private final AtomicInteger copies = new AtomicInteger();

    CountingSource(BundleSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<String> models() throws IOException {
      return delegate.models();
    }

    @Override
    public Optional<byte[]> manifest(String model) throws IOException {
      return delegate.manifest(model);
    }

    @Override
    public void copyFile(String model, String file, Path target) throws IOException {
      if (file.equals("weights.bin")) {
        copies.incrementAndGet();
      }
      delegate.copyFile(model, file, target);
    }

    @Override
    public String describe() {
      return "counting " + delegate.describe();
    }
  }
}
