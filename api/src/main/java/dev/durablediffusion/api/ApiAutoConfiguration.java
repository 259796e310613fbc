package dev.durablediffusion.api;

import dev.durablediffusion.api.auth.ApiKeyFilter;
import dev.durablediffusion.api.auth.ApiKeyRing;
import dev.durablediffusion.api.auth.ApiKeys;
import dev.durablediffusion.api.auth.LocalSecret;
import dev.durablediffusion.api.auth.BearerCredentials;
import dev.durablediffusion.api.auth.EntraAccessTokens;
import dev.durablediffusion.api.events.GenerationEventStreams;
import dev.durablediffusion.api.files.FilesController;
import dev.durablediffusion.api.files.ImageLinks;
import dev.durablediffusion.api.files.ImageUrlSigner;
import dev.durablediffusion.api.files.StorageImageLinks;
import dev.durablediffusion.api.generation.GenerationController;
import dev.durablediffusion.api.generation.GenerationCancellation;
import dev.durablediffusion.api.generation.GenerationImages;
import dev.durablediffusion.api.generation.GenerationListing;
import dev.durablediffusion.api.generation.GenerationLookup;
import dev.durablediffusion.api.generation.GenerationSubmission;
import dev.durablediffusion.api.generation.GenerationWorkflows;
import dev.durablediffusion.api.generation.SubmissionLimits;
import dev.durablediffusion.api.generation.TemporalGenerationWorkflows;
import dev.durablediffusion.api.generation.TemporalReachability;
import dev.durablediffusion.api.generation.SearchAttributeCheck;
import dev.durablediffusion.api.generation.SubmissionLog;
import dev.durablediffusion.api.limits.AdmissionControl;
import dev.durablediffusion.api.errors.ProblemErrorController;
import dev.durablediffusion.api.errors.ProblemErrorReportValve;
import dev.durablediffusion.api.generation.InFlightReconciler;
import dev.durablediffusion.api.generation.TemporalWorkflowLiveness;
import dev.durablediffusion.api.json.StrictJson;
import dev.durablediffusion.api.limits.BodyLimitFilter;
import dev.durablediffusion.api.limits.ConcurrentRequestLimitFilter;
import dev.durablediffusion.api.limits.GpuBacklog;
import dev.durablediffusion.api.limits.InFlightBacklog;
import dev.durablediffusion.api.limits.SubmissionRateLimiter;
import dev.durablediffusion.api.limits.TaskQueueBacklog;
import dev.durablediffusion.api.model.ModelsController;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.ModelCatalogAutoConfiguration;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageAutoConfiguration;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.webhook.target.WebhookTargetCheck;
import dev.durablediffusion.webhook.target.WebhookTargetGuard;
import io.swagger.v3.oas.models.OpenAPI;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** The public HTTP API. */
@AutoConfiguration(
    before = ErrorMvcAutoConfiguration.class,
    after = {
      RootNamespaceAutoConfiguration.class,
      ModelCatalogAutoConfiguration.class,
      StorageAutoConfiguration.class
    })
@ConditionalOnWebApplication
@EnableConfigurationProperties(ApiProperties.class)
@Import({
  GenerationController.class,
  ModelsController.class,
  FilesController.class,
  ProblemResponses.class,
  ProblemErrorController.class,
  StrictJson.class
})
public class ApiAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ApiAutoConfiguration.class);

  @Bean(destroyMethod = "close")
  ApiKeyRing apiKeys(ApiProperties properties) {
    ApiKeys keys = ApiKeys.parse(properties.keys());
    Path hashFile =
        properties.keyHashesFile().isBlank() ? null : Path.of(properties.keyHashesFile());
    if (keys.isEmpty()
        && hashFile == null
        && !properties.entra().enabled()
        && properties.devKeyWhenEmpty()) {
      String key =
          properties.localSecrets().isBlank()
              ? ApiKeys.newKey()
              : LocalSecret.readOrCreate(
                  Path.of(properties.localSecrets(), "dev-api-key"), ApiKeys::newKey);
      System.out.println("API key for tenant 'dev' (not logged): " + key);
      keys = keys.with("dev", key);
    }
    return new ApiKeyRing(keys, hashFile, properties.keyReloadInterval());
  }

  @Bean
  FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(ApiProperties properties) {
    FilterRegistrationBean<BodyLimitFilter> registration =
        new FilterRegistrationBean<>(
            new BodyLimitFilter(properties.bodyReadTimeout(), System::nanoTime));
    registration.addUrlPatterns("/v1/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeyRing keys, ApiProperties properties) {
    List<BearerCredentials> credentials = new ArrayList<>(List.of(keys));
    if (properties.entra().enabled()) {
      credentials.add(EntraAccessTokens.of(properties.entra()));
    }
    FilterRegistrationBean<ApiKeyFilter> registration =
        new FilterRegistrationBean<>(new ApiKeyFilter(credentials));
    registration.addUrlPatterns("/v1/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }

  @Bean
  FilterRegistrationBean<ConcurrentRequestLimitFilter> concurrentRequestLimitFilter(
      ApiProperties properties) {
    FilterRegistrationBean<ConcurrentRequestLimitFilter> registration =
        new FilterRegistrationBean<>(
            new ConcurrentRequestLimitFilter(properties.maxConcurrentRequests()));
    registration.addUrlPatterns("/v1/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
    return registration;
  }

  /** Errors Tomcat answers itself, before the application sees the request, as problem+json. */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
              }
            });
  }

  @Bean
  OpenAPI openApi() {
    return OpenApiDocument.describe();
  }

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ImageUrlSigner imageUrlSigner(ApiProperties properties, Clock clock) {
    byte[] key;
    if (properties.urlSigningKey().isBlank() && !properties.localSecrets().isBlank()) {
      key =
          Base64.getDecoder()
              .decode(
                  LocalSecret.readOrCreate(
                      Path.of(properties.localSecrets(), "url-signing-key"),
                      () -> Base64.getEncoder().encodeToString(randomKey())));
    } else if (properties.urlSigningKey().isBlank()) {
      key = randomKey();
      log.warn(
          "dd.api.url-signing-key is not set: image links are signed with a random key and stop"
              + " working when this process restarts; set the same key on every replica");
    } else {
      key = Base64.getDecoder().decode(properties.urlSigningKey().trim());
    }
    return new ImageUrlSigner(key, properties.imageUrlLifetime(), clock);
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Bean
  GenerationWorkflows generationWorkflows(
      WorkflowClient client, ModelCatalog catalog, ApiProperties properties) {
    if (properties.searchAttributes()) {
      checkSearchAttributes(client);
    }
    return new TemporalGenerationWorkflows(
        client,
        new TemporalReachability(
            client.getWorkflowServiceStubs(), Duration.ofSeconds(1), System::nanoTime),
        properties.searchAttributes() ? catalog : null);
  }

  private static ImageLinks imageLinks(
      ObjectStore store, ImageUrlSigner signer, ApiProperties properties) {
    return properties.imageLinks() == ApiProperties.ImageLinkKind.STORAGE
        ? new StorageImageLinks(store, properties.imageUrlLifetime(), signer)
        : signer;
  }

  @Bean
  GenerationSubmission generationSubmission(
      GenerationWorkflows workflows,
      ModelCatalog catalog,
      ObjectStore store,
      GenerationIndex index,
      WebhookTargetGuard webhookTargets,
      GpuBacklog backlog,
      ApiProperties properties,
      Clock clock) {
    return new GenerationSubmission(
        workflows,
        catalog,
        store,
        index,
        new WebhookTargetCheck(webhookTargets),
        new SubmissionLimits(
            admissionControl(properties.admission(), backlog),
            new SubmissionRateLimiter(
                properties.submissionsPerSecond(), properties.submissionBurst(), System::nanoTime),
            index,
            properties.maxInFlight()),
        new SubmissionLog(properties.logPrompts()),
        clock);
  }

  @Bean
  GenerationLookup generationLookup(
      GenerationWorkflows workflows,
      GenerationIndex index,
      ObjectStore store,
      ImageUrlSigner signer,
      ApiProperties properties) {
    return new GenerationLookup(workflows, index, imageLinks(store, signer, properties));
  }

  @Bean
  GenerationListing generationListing(GenerationIndex index, GenerationLookup lookup) {
    return new GenerationListing(index, lookup);
  }

  @Bean
  GenerationCancellation generationCancellation(
      GenerationWorkflows workflows, GenerationLookup lookup) {
    return new GenerationCancellation(workflows, lookup);
  }

  @Bean
  GenerationImages generationImages(GenerationLookup lookup, ObjectStore store) {
    return new GenerationImages(lookup, store);
  }

  private static void checkSearchAttributes(WorkflowClient client) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(client.getWorkflowServiceStubs().getOptions())
                .validateAndBuildWithDefaults());
    try {
      SearchAttributeCheck.verify(operator.blockingStub(), client.getOptions().getNamespace());
    } finally {
      operator.shutdown();
    }
  }

  @Bean
  @ConditionalOnMissingBean
  GpuBacklog gpuBacklog(ApiProperties properties, WorkflowClient client, GenerationIndex index) {
    return switch (properties.admission().backlogSource()) {
      case IN_FLIGHT -> new InFlightBacklog(index);
      case TASK_QUEUE ->
          new TaskQueueBacklog(client, properties.admission().gpuQueue());
    };
  }

  private static AdmissionControl admissionControl(
      ApiProperties.Admission admission, GpuBacklog backlog) {
    return new AdmissionControl(
        backlog,
        admission.maxInteractiveBacklog(),
        admission.refresh(),
        admission.retryAfter(),
        System::nanoTime);
  }

  @Bean(destroyMethod = "close")
  InFlightReconciler inFlightReconciler(
      GenerationIndex index, WorkflowClient client, ApiProperties properties) {
    InFlightReconciler reconciler =
        new InFlightReconciler(index, new TemporalWorkflowLiveness(client));
    reconciler.start(properties.inFlightReconcileInterval());
    return reconciler;
  }

  @Bean(destroyMethod = "close")
  GenerationEventStreams generationEventStreams(
      GenerationLookup lookup, ApiProperties properties) {
    return new GenerationEventStreams(
        lookup,
        properties.eventPollInterval(),
        properties.maxEventStreams(),
        4);
  }
}
