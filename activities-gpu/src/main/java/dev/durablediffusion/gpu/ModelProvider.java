package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.LoadedModel;
import dev.durablediffusion.engine.WarmPool;
import dev.durablediffusion.engine.cache.CachedBundle;
import dev.durablediffusion.engine.cache.ModelCache;
import dev.durablediffusion.engine.cache.UnknownModelException;
import dev.durablediffusion.model.InvalidBundleException;
import dev.durablediffusion.workflows.generation.GenerationFailures;

/**
 * Disk cache plus warm pool, with failures turned into the workflow's terms: a model nobody offers
 * or a broken bundle fails the generation instead of being retried.
 */
public final class ModelProvider {

  private final ModelCache cache;
  private final WarmPool pool;

  public ModelProvider(ModelCache cache, WarmPool pool) {
    this.cache = cache;
    this.pool = pool;
  }

  /**
   * A lease on the loaded model; {@code cached} says whether the disk cache already had it. The
   * bundle's files are kept from eviction only while the model loads.
   */
  public Acquired acquire(String model) {
    try (CachedBundle cached = cache.fetch(model)) {
      return new Acquired(cached, pool.acquire(cached.bundle()));
    } catch (UnknownModelException | InvalidBundleException e) {
      throw GenerationFailures.modelUnavailable(e.getMessage());
    }
  }

  public WarmPool pool() {
    return pool;
  }

  /** A fetched bundle and a lease on its loaded model; close to release the lease. */
  public record Acquired(CachedBundle cached, WarmPool.Lease lease) implements AutoCloseable {

    public <T extends LoadedModel> T model() {
      return lease.model();
    }

    @Override
    public void close() {
      lease.close();
    }
  }
}
