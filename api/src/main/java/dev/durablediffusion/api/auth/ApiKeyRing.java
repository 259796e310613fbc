package dev.durablediffusion.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys in force: fixed keys from configuration plus, when configured, a file of key hashes
 * re-read whenever it changes (Key Vault rotates the mounted file), so a revoked key stops working
 * within one reload interval and without a restart. A file that cannot be read or parsed leaves the
 * previous keys in force.
 */
public class ApiKeyRing implements BearerCredentials, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyRing.class);

  private final ApiKeys fixed;
  private final Path hashFile;
  private final AtomicReference<ApiKeys> current;
  private final ScheduledExecutorService reloader;
  private FileTime loadedVersion;

  /**
   * @param hashFile null for fixed keys only; otherwise it must be readable at start-up
   */
  public ApiKeyRing(ApiKeys fixed, Path hashFile, Duration reloadInterval) {
    this.fixed = fixed;
    this.hashFile = hashFile;
    if (hashFile == null) {
      current = new AtomicReference<>(fixed);
      reloader = null;
      return;
    }
    current = new AtomicReference<>(fixed.merge(readHashes()));
    reloader =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "api-key-reload");
              thread.setDaemon(true);
              return thread;
            });
    reloader.scheduleWithFixedDelay(
        this::reloadIfChanged,
        reloadInterval.toMillis(),
        reloadInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public Optional<String> tenantOf(String key) {
    return current.get().tenantOf(key);
  }

  public boolean isEmpty() {
    return current.get().isEmpty();
  }

  void reloadIfChanged() {
    try {
      if (!Files.getLastModifiedTime(hashFile).equals(loadedVersion)) {
        current.set(fixed.merge(readHashes()));
        log.info("API key hashes reloaded from {}", hashFile);
      }
    } catch (RuntimeException | IOException e) {
      log.error("API key hashes in {} could not be reloaded; the previous keys stay", hashFile, e);
    }
  }

  private ApiKeys readHashes() {
    try {
      FileTime version = Files.getLastModifiedTime(hashFile);
      ApiKeys hashes = ApiKeys.parseHashes(Files.readString(hashFile, StandardCharsets.UTF_8));
      loadedVersion = version;
      return hashes;
    } catch (IOException e) {
      throw new IllegalStateException("API key hashes cannot be read from " + hashFile, e);
    }
  }

  @Override
  public void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
