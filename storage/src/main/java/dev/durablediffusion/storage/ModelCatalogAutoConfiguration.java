package dev.durablediffusion.storage;

import dev.durablediffusion.model.ModelCatalog;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The catalog of models, for the API's answers and the validation step. */
@AutoConfiguration(after = StorageAutoConfiguration.class)
@EnableConfigurationProperties(ModelCatalogProperties.class)
public class ModelCatalogAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ModelCatalog modelCatalog(ModelCatalogProperties properties, ObjectStore store) {
    return ModelCatalogs.load(
        getClass().getClassLoader(),
        properties.directory(),
        store,
        properties.fromStorage(),
        properties.defaultModel());
  }
}
