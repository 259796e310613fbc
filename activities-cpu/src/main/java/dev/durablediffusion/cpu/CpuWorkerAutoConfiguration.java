package dev.durablediffusion.cpu;

import dev.durablediffusion.cpu.fairshare.FairShareActivitiesImpl;
import dev.durablediffusion.cpu.store.StoreActivitiesImpl;
import dev.durablediffusion.cpu.upscale.LanczosUpscaleActivitiesImpl;
import dev.durablediffusion.cpu.validate.ValidateActivitiesImpl;
import dev.durablediffusion.cpu.webhook.ConfiguredWebhookSecrets;
import dev.durablediffusion.cpu.webhook.WebhookActivitiesImpl;
import dev.durablediffusion.cpu.webhook.WebhookProperties;
import dev.durablediffusion.cpu.webhook.WebhookSender;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.runtime.WorkerRuntime;
import dev.durablediffusion.storage.ModelCatalogAutoConfiguration;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageAutoConfiguration;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.webhook.target.WebhookTargetCheck;
import dev.durablediffusion.webhook.target.WebhookTargetGuard;
import dev.durablediffusion.workflows.fairshare.FairShareActivities;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflowImpl;
import dev.durablediffusion.workflows.generation.GenerationWorkflowImpl;
import dev.durablediffusion.workflows.generation.LanczosUpscaleActivities;
import dev.durablediffusion.workflows.generation.StoreActivities;
import dev.durablediffusion.workflows.generation.TaskQueues;
import dev.durablediffusion.workflows.generation.ValidateActivities;
import dev.durablediffusion.workflows.webhook.WebhookActivities;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflowImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The workflow worker and the CPU activities. Registers no GPU activity, so a CPU pod never polls a
 * GPU queue.
 */
@AutoConfiguration(
    after = {
      RootNamespaceAutoConfiguration.class,
      StorageAutoConfiguration.class,
      ModelCatalogAutoConfiguration.class
    })
@ConditionalOnProperty(
    prefix = "dd.cpu",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties({CpuWorkerProperties.class, WebhookProperties.class})
public class CpuWorkerAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ValidateActivities validateActivities(
      ModelCatalog catalog, WebhookTargetGuard guard, CpuWorkerProperties properties) {
    return new ValidateActivitiesImpl(catalog, new WebhookTargetCheck(guard), properties);
  }

  @Bean
  @ConditionalOnMissingBean
  FairShareActivities fairShareActivities(WorkflowClient client) {
    return new FairShareActivitiesImpl(client);
  }

  @Bean
  @ConditionalOnMissingBean
  StoreActivities storeActivities(
      ObjectStore store, GenerationIndex index, MeterRegistry registry) {
    return new StoreActivitiesImpl(store, index, registry, Clock.systemUTC());
  }

  @Bean
  @ConditionalOnMissingBean
  LanczosUpscaleActivities lanczosUpscaleActivities(ObjectStore store) {
    return new LanczosUpscaleActivitiesImpl(store);
  }

  @Bean
  @ConditionalOnMissingBean
  WebhookActivities webhookActivities(
      WebhookProperties properties, WebhookTargetGuard guard, MeterRegistry registry) {
    Clock clock = Clock.systemUTC();
    return new WebhookActivitiesImpl(
        guard,
        new ConfiguredWebhookSecrets(properties.signingSecrets()),
        new WebhookSender(properties.connectTimeout(), properties.responseTimeout(), clock),
        clock,
        registry);
  }

  /**
   * Every activity implementation is a bean of its activity interface, so an application replaces
   * one by declaring its own.
   */
  @Bean(initMethod = "start", destroyMethod = "close")
  WorkerRuntime cpuWorkers(
      WorkflowClient client,
      CpuWorkerProperties properties,
      ValidateActivities validate,
      FairShareActivities fairShare,
      StoreActivities store,
      LanczosUpscaleActivities lanczos,
      WebhookActivities webhooks,
      MeterRegistry registry,
      ObjectProvider<WorkerInterceptor> interceptors) {
    WorkerRuntime runtime =
        new WorkerRuntime(
            client, properties.shutdownGrace(), registry, interceptors.orderedStream().toList());
    Worker workflows = runtime.newWorker(TaskQueues.WORKFLOWS, WorkerOptions.getDefaultInstance());
    workflows.registerWorkflowImplementationTypes(
        GenerationWorkflowImpl.class,
        WebhookDeliveryWorkflowImpl.class,
        FairShareWorkflowImpl.class);
    workflows.registerActivitiesImplementations(validate, fairShare);
    runtime
        .newWorker(TaskQueues.CPU, WorkerOptions.getDefaultInstance())
        .registerActivitiesImplementations(store, lanczos);
    runtime
        .newWorker(TaskQueues.WEBHOOKS, WorkerOptions.getDefaultInstance())
        .registerActivitiesImplementations(webhooks);
    return runtime;
  }
}
