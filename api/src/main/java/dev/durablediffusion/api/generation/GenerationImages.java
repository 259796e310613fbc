package dev.durablediffusion.api.generation;

import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.util.Optional;

/** The images of a tenant's generation: its outputs once it succeeded, its preview while denoising. */
public class GenerationImages {

  private final GenerationLookup lookup;
  private final ObjectStore store;

  public GenerationImages(GenerationLookup lookup, ObjectStore store) {
    this.lookup = lookup;
    this.store = store;
  }

  /** The PNG of output {@code index}, once the generation succeeded. */
  public Optional<byte[]> output(String tenant, String id, int index) {
    GenerationStatus status = lookup.status(tenant, id);
    if (status.state() != GenerationState.SUCCEEDED
        || index < 0
        || index >= status.outputs().size()) {
      return Optional.empty();
    }
    return store.get(ObjectRef.parse(StorageLayout.output(tenant, id, index)));
  }

  /** The latest denoise preview, while it is denoising. */
  public Optional<byte[]> preview(String tenant, String id) {
    GenerationStatus status = lookup.status(tenant, id);
    if (status.progress() == null || status.progress().previewRef() == null) {
      return Optional.empty();
    }
    return store.get(ObjectRef.parse(status.progress().previewRef()));
  }
}
