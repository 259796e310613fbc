package dev.durablediffusion.api.files;

import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.net.URI;
import java.time.Duration;

/**
 * Links straight to the store (Azure Blob: a read-only SAS for the one image), so image traffic
 * bypasses the API; where the store cannot make them, the API's own signed links.
 */
public final class StorageImageLinks implements ImageLinks {

  private final ObjectStore store;
  private final Duration lifetime;
  private final ImageLinks fallback;

  public StorageImageLinks(ObjectStore store, Duration lifetime, ImageLinks fallback) {
    this.store = store;
    this.lifetime = lifetime;
    this.fallback = fallback;
  }

  @Override
  public String url(String tenant, String generationId, int index) {
    return store
        .readUrl(ObjectRef.parse(StorageLayout.output(tenant, generationId, index)), lifetime)
        .map(URI::toString)
        .orElseGet(() -> fallback.url(tenant, generationId, index));
  }
}
