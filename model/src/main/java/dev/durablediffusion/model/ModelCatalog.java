package dev.durablediffusion.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The models this deployment offers, by name, as their manifests describe them. */
public final class ModelCatalog {

  private final Map<String, BundleManifest> manifests;
  private final String defaultModel;

  public ModelCatalog(Collection<BundleManifest> manifests, String defaultModel) {
    Map<String, BundleManifest> byName = new TreeMap<>();
    manifests.forEach(m -> byName.put(m.name(), m));
    this.manifests = Map.copyOf(byName);
    this.defaultModel = defaultModel;
  }

  public Optional<BundleManifest> find(String name) {
    return Optional.ofNullable(name).map(manifests::get);
  }

  /** The latent-diffusion model of that name: what a generation's {@code model} may name. */
  public Optional<BundleManifest> generationModel(String name) {
    return find(name).filter(BundleManifest::isLatentDiffusion);
  }

  /** The upscaler model of that name: what an upscale's {@code method} may name. */
  public Optional<BundleManifest> upscaler(String name) {
    return find(name).filter(BundleManifest::isUpscaler);
  }

  public List<BundleManifest> all() {
    return manifests.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  public String defaultModel() {
    return defaultModel;
  }
}
