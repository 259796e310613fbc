package dev.durablediffusion.api;

import dev.durablediffusion.api.auth.ApiKeyFilter;
import dev.durablediffusion.api.auth.ApiKeys;
import dev.durablediffusion.api.generation.GenerationController;
import dev.durablediffusion.api.generation.GenerationService;
import dev.durablediffusion.api.model.ModelsController;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.ModelCatalogAutoConfiguration;
import dev.durablediffusion.storage.ObjectStore;
import io.temporal.client.WorkflowClient;
import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The public HTTP API. */
@AutoConfiguration(
    after = {RootNamespaceAutoConfiguration.class, ModelCatalogAutoConfiguration.class})
@ConditionalOnWebApplication
@EnableConfigurationProperties(ApiProperties.class)
@Import({GenerationController.class, ModelsController.class, ProblemResponses.class})
public class ApiAutoConfiguration {

  @Bean
  ApiKeys apiKeys(ApiProperties properties) {
    ApiKeys keys = ApiKeys.parse(properties.keys());
    if (keys.isEmpty() && properties.devKeyWhenEmpty()) {
      String key = ApiKeys.newKey();
      System.out.println("API key for tenant 'dev' (shown once, not logged): " + key);
      return keys.with("dev", key);
    }
    return keys;
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys) {
    FilterRegistrationBean<ApiKeyFilter> registration =
        new FilterRegistrationBean<>(new ApiKeyFilter(keys));
    registration.addUrlPatterns("/v1/*");
    return registration;
  }

  @Bean
  GenerationService generationService(
      WorkflowClient client, ModelCatalog catalog, ObjectStore store) {
    return new GenerationService(client, catalog, store);
  }
}
