package dev.durablediffusion.gpu.bundle;

import dev.durablediffusion.engine.bundle.BundleSource;
import dev.durablediffusion.engine.bundle.ModelNames;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Bundles in the models area of storage (Azure Blob on AKS): {@code models/<model>/<file>}. */
public final class StorageBundleSource implements BundleSource {

  private final ObjectStore store;

  public StorageBundleSource(ObjectStore store) {
    this.store = store;
  }

  @Override
  public Set<String> models() {
    Set<String> models = new TreeSet<>();
    for (String key : store.list(StorageArea.MODELS, "")) {
      if (key.endsWith("/" + BundleManifests.MANIFEST_FILE)) {
        models.add(key.substring(0, key.indexOf('/')));
      }
    }
    return models;
  }

  @Override
  public Optional<byte[]> manifest(String model) {
    return store.get(ref(model, BundleManifests.MANIFEST_FILE));
  }

  @Override
  public void copyFile(String model, String file, Path target) {
    store.downloadTo(ref(model, ModelNames.checkFile(file)), target);
  }

  private static ObjectRef ref(String model, String file) {
    return new ObjectRef(StorageArea.MODELS, ModelNames.check(model) + "/" + file);
  }

  @Override
  public String describe() {
    return "storage models/";
  }
}
