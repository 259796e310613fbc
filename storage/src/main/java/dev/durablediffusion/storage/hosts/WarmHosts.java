package dev.durablediffusion.storage.hosts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * Where models are warm: each GPU worker renews a record of its loaded models in the work area
 * ({@code hosts/<worker>.json}), and readers take the records that have not gone stale, so a worker
 * that died drops out by itself.
 */
public class WarmHosts {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final String PREFIX = "hosts/";

  private final ObjectStore store;

  public WarmHosts(ObjectStore store) {
    this.store = store;
  }

  public void publish(WarmHost host) {
    try {
      store.put(ref(host.worker()), JSON.writeValueAsBytes(host), "application/json");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void withdraw(String worker) {
    store.delete(ref(worker));
  }

  /** The records still valid at {@code nowMillis}; unreadable ones are skipped. */
  public List<WarmHost> current(long nowMillis) {
    return store.list(StorageArea.WORK, PREFIX).stream()
        .map(key -> read(new ObjectRef(StorageArea.WORK, key)))
        .flatMap(Optional::stream)
        .filter(host -> host.validUntilMillis() > nowMillis)
        .toList();
  }

  private Optional<WarmHost> read(ObjectRef ref) {
    return store
        .get(ref)
        .flatMap(
            bytes -> {
              try {
                return Optional.of(JSON.readValue(bytes, WarmHost.class));
              } catch (IOException unreadable) {
                return Optional.empty();
              }
            });
  }

  private static ObjectRef ref(String worker) {
    return new ObjectRef(StorageArea.WORK, PREFIX + worker + ".json");
  }
}
