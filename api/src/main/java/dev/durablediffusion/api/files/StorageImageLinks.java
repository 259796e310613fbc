package dev.durablediffusion.api.files;

import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links straight to the store (Azure Blob: a read-only SAS for the one image), so image traffic
 * bypasses the API; where the store cannot make them, the API's own signed links.
 */
public final class StorageImageLinks implements ImageLinks {

  private static final Logger log = LoggerFactory.getLogger(StorageImageLinks.class);

  private final ObjectStore store;
  private final Duration lifetime;
  private final ImageLinks fallback;

  public StorageImageLinks(ObjectStore store, Duration lifetime, ImageLinks fallback) {
    if (lifetime.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException(
          "dd.api.image-url-lifetime must be at most 7 days with dd.api.image-links=storage");
    }
    this.store = store;
    this.lifetime = lifetime;
    this.fallback = fallback;
  }

  /**
   * A store that fails to sign (a missing role, a key Entra ID will not issue) costs the direct
   * link, never the response: the API's link is handed out instead.
   */
  @Override
  public String url(String tenant, String generationId, int index) {
    Optional<URI> direct;
    try {
      direct =
          store.readUrl(
              ObjectRef.parse(StorageLayout.output(tenant, generationId, index)), lifetime);
    } catch (RuntimeException e) {
      log.warn("no direct link for an image of {}: {}", generationId, e.getMessage());
      direct = Optional.empty();
    }
    return direct.map(URI::toString).orElseGet(() -> fallback.url(tenant, generationId, index));
  }
}
