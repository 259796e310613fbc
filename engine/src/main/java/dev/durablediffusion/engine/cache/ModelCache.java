package dev.durablediffusion.engine.cache;

import dev.durablediffusion.engine.bundle.BundleSource;
import dev.durablediffusion.engine.bundle.BundleVerifier;
import dev.durablediffusion.engine.bundle.ModelNames;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.InvalidBundleException;
import dev.durablediffusion.model.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The node-local disk cache of bundles. Each version is kept in its own directory named by the
 * manifest digest, downloaded once even under concurrent requests, verified before it becomes
 * visible (temp directory, then an atomic rename), and evicted least recently used first when the
 * cache passes its byte budget. A bundle handed out and not yet closed is never evicted, so its
 * files stay while they are being loaded. Checksums are verified once, at download; a cached copy
 * with a missing or resized file is downloaded again.
 */
public final class ModelCache {

  private final Path root;
  private final long budgetBytes;
  private final List<BundleSource> sources;
  private final Map<Path, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final Map<Path, Long> lastUse = new ConcurrentHashMap<>();
  private final Map<Path, Integer> pins = new ConcurrentHashMap<>();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  public ModelCache(Path root, long budgetBytes, List<BundleSource> sources) {
    this.root = root;
    this.budgetBytes = budgetBytes;
    this.sources = List.copyOf(sources);
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("model cache directory " + root + " cannot be created", e);
    }
  }

  /**
   * The model's bundle on disk, downloaded when it is not there; close it once loaded.
   *
   * @throws UnknownModelException when no source offers the model
   * @throws InvalidBundleException when the bundle fails verification
   */
  public CachedBundle fetch(String model) {
    ModelNames.check(model);
    SourcedManifest sourced = findManifest(model);
    BundleManifest manifest = BundleManifests.parse(sourced.manifest(), model);
    String digest = Digests.sha256(sourced.manifest());
    Path dir = root.resolve(model + "-" + digest.substring(0, 16));
    ReentrantLock lock = lockOf(dir);
    lock.lock();
    try {
      boolean hit = BundleVerifier.hasAllFiles(dir, manifest);
      long start = System.nanoTime();
      (hit ? hits : misses).incrementAndGet();
      if (!hit) {
        download(model, sourced, manifest, dir);
      }
      VerifiedBundle bundle = new VerifiedBundle(dir, manifest, digest);
      lastUse.put(dir, System.nanoTime());
      pins.merge(dir, 1, Integer::sum);
      try {
        evictBeyondBudget();
      } catch (RuntimeException e) {
        unpin(dir);
        throw e;
      }
      return new CachedBundle(
          bundle, hit, (System.nanoTime() - start) / 1_000_000, () -> unpin(dir));
    } finally {
      lock.unlock();
    }
  }

  private void unpin(Path dir) {
    pins.computeIfPresent(dir, (d, count) -> count == 1 ? null : count - 1);
  }

  private ReentrantLock lockOf(Path dir) {
    return locks.computeIfAbsent(dir, d -> new ReentrantLock());
  }

  private SourcedManifest findManifest(String model) {
    for (BundleSource source : sources) {
      try {
        Optional<byte[]> manifest = source.manifest(model);
        if (manifest.isPresent()) {
          return new SourcedManifest(source, manifest.get());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("model " + model + ": " + source.describe() + " failed", e);
      }
    }
    throw new UnknownModelException(model);
  }

  /** Downloads into a temp directory, verifies every checksum there, then renames it into place. */
  private void download(String model, SourcedManifest sourced, BundleManifest manifest, Path dir) {
    Path temp = root.resolve(".incoming-" + model + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(temp);
      Files.write(temp.resolve(BundleManifests.MANIFEST_FILE), sourced.manifest());
      for (BundleManifest.Component component : manifest.components().values()) {
        sourced.source().copyFile(model, component.file(), temp.resolve(component.file()));
      }
      BundleVerifier.verify(temp);
      moveIntoPlace(temp, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "model " + model + ": download from " + sourced.source().describe() + " failed", e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private static void moveIntoPlace(Path temp, Path dir) throws IOException {
    deleteQuietly(dir);
    try {
      Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
      throw new IOException("cannot move the verified bundle into " + dir, e);
    }
  }

  /**
   * Pins are taken under the directory's lock, which eviction holds while it checks for pins and
   * deletes, so no directory is pinned while it is being deleted.
   */
  private void evictBeyondBudget() {
    List<Path> dirs = cachedDirs();
    long total = dirs.stream().mapToLong(ModelCache::size).sum();
    dirs.sort(Comparator.comparingLong(d -> lastUse.getOrDefault(d, 0L)));
    for (Path dir : dirs) {
      if (total <= budgetBytes) {
        return;
      }
      ReentrantLock lock = lockOf(dir);
      if (lock.tryLock()) {
        try {
          if (pins.containsKey(dir)) {
            continue;
          }
          total -= size(dir);
          deleteQuietly(dir);
          lastUse.remove(dir);
          evictions.incrementAndGet();
        } finally {
          lock.unlock();
        }
      }
    }
  }

  /** The bundle directories in the cache. */
  public List<Path> cachedDirs() {
    try (Stream<Path> dirs = Files.list(root)) {
      return new ArrayList<>(
          dirs.filter(d -> !d.getFileName().toString().startsWith(".")).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  public long evictions() {
    return evictions.get();
  }

  /** Bytes the cache holds now. */
  public long bytes() {
    return cachedDirs().stream().mapToLong(ModelCache::size).sum();
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: a leftover temp directory is retried at the next eviction
    }
  }

  private record SourcedManifest(BundleSource source, byte[] manifest) {}
}
