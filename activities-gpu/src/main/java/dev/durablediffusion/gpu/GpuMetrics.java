package dev.durablediffusion.gpu;

import dev.durablediffusion.engine.WarmPool;
import dev.durablediffusion.engine.cache.ModelCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** The node's model cache and warm pool as metrics. */
final class GpuMetrics implements MeterBinder {

  private final ModelCache cache;
  private final WarmPool pool;

  GpuMetrics(ModelCache cache, WarmPool pool) {
    this.cache = cache;
    this.pool = pool;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("dd.model.cache.hits", cache, ModelCache::hits)
        .description("bundle fetches served from the node's disk cache")
        .register(registry);
    FunctionCounter.builder("dd.model.cache.misses", cache, ModelCache::misses)
        .description("bundle fetches that downloaded the bundle")
        .register(registry);
    FunctionCounter.builder("dd.model.cache.evictions", cache, ModelCache::evictions)
        .description("bundle versions evicted from the disk cache")
        .register(registry);
    Gauge.builder("dd.model.cache.bytes", cache, ModelCache::bytes)
        .description("bytes of bundles on the node's disk")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("dd.model.memory.bytes", pool, WarmPool::memoryBytes)
        .description("memory held by loaded models (weights), on the device they run on")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("dd.model.loaded", pool, p -> p.warmModels().size())
        .description("models loaded in the warm pool")
        .register(registry);
  }
}
