package dev.durablediffusion.gpu;

import ai.djl.Device;
import dev.durablediffusion.engine.Denoiser;
import dev.durablediffusion.engine.DiffusionModel;
import dev.durablediffusion.engine.LoadedModel;
import dev.durablediffusion.engine.ModelUpscaler;
import dev.durablediffusion.engine.NativeAllocator;
import dev.durablediffusion.engine.WarmPool;
import dev.durablediffusion.engine.bundle.BundleSource;
import dev.durablediffusion.engine.bundle.ClasspathBundleSource;
import dev.durablediffusion.engine.bundle.DirectoryBundleSource;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.engine.cache.ModelCache;
import dev.durablediffusion.gpu.bundle.StorageBundleSource;
import dev.durablediffusion.gpu.checkpoint.DenoiseCheckpoints;
import dev.durablediffusion.gpu.eviction.ScheduledEventsPoller;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.runtime.WorkerRuntime;
import dev.durablediffusion.storage.ModelCatalogAutoConfiguration;
import dev.durablediffusion.storage.ModelCatalogProperties;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageAutoConfiguration;
import dev.durablediffusion.storage.hosts.WarmHosts;
import dev.durablediffusion.telemetry.CurrentTrace;
import dev.durablediffusion.workflows.generation.DenoiseActivities;
import dev.durablediffusion.workflows.generation.ModelActivities;
import dev.durablediffusion.workflows.generation.ModelUpscaleActivities;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import io.temporal.worker.WorkerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The GPU worker: engine, model cache, warm pool, and the workers of the shared GPU queues and of
 * this host's own queue. Only GPU activities are registered here, so a GPU pod never polls CPU
 * queues and the reverse.
 */
@AutoConfiguration(
    after = {
      RootNamespaceAutoConfiguration.class,
      StorageAutoConfiguration.class,
      ModelCatalogAutoConfiguration.class
    })
@ConditionalOnProperty(
    prefix = "dd.gpu",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(GpuWorkerProperties.class)
public class GpuWorkerAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GpuWorkerAutoConfiguration.class);

  @Bean
  Device engineDevice(GpuWorkerProperties properties) {
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("ai.djl.default_engine", "PyTorch");
    Device device = GpuDevice.parse(properties.device());
    NativeAllocator allocator = NativeAllocator.current();
    if (Device.Type.CPU.equals(device.getDeviceType()) && allocator.slowForCpuInference()) {
      log.warn(
          "Generating on the CPU with {}: start the JVM with"
              + " LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 (Debian package"
              + " libtcmalloc-minimal4) for about a fifth faster generations",
          allocator);
    } else {
      log.info("Engine device {}, native allocator {}", device, allocator);
    }
    return device;
  }

  @Bean
  HostTaskQueue hostTaskQueue(GpuWorkerProperties properties) {
    return HostTaskQueue.of(properties.hostTaskQueue());
  }

  @Bean
  ModelCache modelCache(
      GpuWorkerProperties properties,
      ModelCatalogProperties models,
      ModelCatalog catalog,
      ObjectStore store) {
    List<BundleSource> sources = new ArrayList<>();
    if (models.fromStorage()) {
      sources.add(new StorageBundleSource(store));
    }
    if (models.directory() != null) {
      sources.add(new DirectoryBundleSource(models.directory()));
    }
    Set<String> names =
        catalog.all().stream().map(BundleManifest::name).collect(Collectors.toSet());
    sources.add(new ClasspathBundleSource(getClass().getClassLoader(), names));
    return new ModelCache(
        properties.modelCacheDirectory(), properties.modelCacheBudget().toBytes(), sources);
  }

  @Bean(destroyMethod = "close")
  WarmPool warmPool(GpuWorkerProperties properties, Device device) {
    return new WarmPool(properties.warmPoolBudget().toBytes(), bundle -> load(bundle, device));
  }

  private static LoadedModel load(VerifiedBundle bundle, Device device) {
    return bundle.manifest().isUpscaler()
        ? ModelUpscaler.load(bundle, device)
        : DiffusionModel.load(bundle, device);
  }

  @Bean
  ModelProvider modelProvider(ModelCache cache, WarmPool pool) {
    return new ModelProvider(cache, pool);
  }

  @Bean
  DefaultModelWarmup defaultModelWarmup(ModelProvider models, ModelCatalogProperties catalog) {
    return new DefaultModelWarmup(models, catalog.defaultModel());
  }

  @Bean(initMethod = "start", destroyMethod = "close")
  WarmModelsBeacon warmModelsBeacon(
      WarmHosts hosts, WarmPool pool, HostTaskQueue hostQueue, GpuWorkerProperties properties) {
    return new WarmModelsBeacon(
        hosts,
        pool,
        hostQueue.name(),
        properties.device(),
        properties.warmReportInterval(),
        Clock.systemUTC());
  }

  @Bean
  GpuMetrics gpuMetrics(ModelCache cache, WarmPool pool) {
    return new GpuMetrics(cache, pool);
  }

  @Bean
  Denoiser denoiser() {
    return new Denoiser();
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService progressReports() {
    return CurrentTrace.carriedInto(
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "progress-report");
              thread.setDaemon(true);
              return thread;
            }));
  }

  @Bean
  @ConditionalOnMissingBean
  ModelActivities modelActivities(
      ModelProvider models, HostTaskQueue hostQueue, MeterRegistry registry) {
    return new ModelActivitiesImpl(models, hostQueue, registry);
  }

  @Bean
  @ConditionalOnMissingBean
  ModelUpscaleActivities modelUpscaleActivities(ModelProvider models, ObjectStore store) {
    return new ModelUpscaleActivitiesImpl(models, store);
  }

  @Bean
  @ConditionalOnMissingBean
  DenoiseActivities denoiseActivities(
      WorkflowClient client,
      GpuWorkerProperties properties,
      HostTaskQueue hostQueue,
      ModelProvider models,
      Denoiser denoiser,
      ObjectStore store,
      ExecutorService progressReports,
      MeterRegistry registry) {
    DenoiseCheckpoints checkpoints = new DenoiseCheckpoints(store);
    return new DenoiseActivitiesImpl(
        models,
        denoiser,
        store,
        new ProgressReports(
            client, store, progressReports, properties, registry, checkpoints, hostQueue.name()),
        checkpoints,
        hostQueue,
        registry);
  }

  /** Drains the GPU workers on a spot eviction notice, as SIGTERM would. */
  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnExpression("!'${dd.gpu.scheduled-events.url:}'.isBlank()")
  ScheduledEventsPoller scheduledEventsPoller(
      GpuWorkerProperties properties, WorkerRuntime gpuWorkers) {
    GpuWorkerProperties.ScheduledEvents events = properties.scheduledEvents();
    return new ScheduledEventsPoller(
        URI.create(events.url()),
        events.instanceName(),
        events.pollInterval(),
        gpuWorkers::close,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
  }

  /**
   * Every activity implementation is a bean of its activity interface, so an application replaces
   * one by declaring its own.
   */
  @Bean(initMethod = "start", destroyMethod = "close")
  WorkerRuntime gpuWorkers(
      WorkflowClient client,
      GpuWorkerProperties properties,
      HostTaskQueue hostQueue,
      ModelActivities prepare,
      ModelUpscaleActivities upscale,
      DenoiseActivities denoise,
      MeterRegistry registry,
      ObjectProvider<WorkerInterceptor> interceptors) {
    WorkerRuntime runtime =
        new WorkerRuntime(
            client, properties.shutdownGrace(), registry, interceptors.orderedStream().toList());
    WorkerOptions options =
        WorkerOptions.newBuilder()
            .setMaxConcurrentActivityExecutionSize(properties.slots())
            .setMaxHeartbeatThrottleInterval(properties.heartbeatThrottle())
            .setDefaultHeartbeatThrottleInterval(properties.heartbeatThrottle())
            .build();
    for (String queue : properties.taskQueues()) {
      runtime.newWorker(queue, options).registerActivitiesImplementations(prepare, upscale);
    }
    runtime.newWorker(hostQueue.name(), options).registerActivitiesImplementations(denoise);
    return runtime;
  }
}
