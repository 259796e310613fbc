package dev.durablediffusion.storage;

import dev.durablediffusion.storage.hosts.WarmHosts;
import dev.durablediffusion.storage.index.GenerationIndex;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Provides the {@link ObjectStore} chosen by {@code dd.storage.type} unless the application defines
 * one, and on it the tenants' {@link GenerationIndex} and the GPU workers' {@link WarmHosts}.
 */
@AutoConfiguration
@EnableConfigurationProperties(StorageProperties.class)
public class StorageAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public ObjectStore objectStore(StorageProperties storage) {
    return switch (storage.type()) {
      case FILESYSTEM -> new FilesystemObjectStore(storage.filesystem().root());
      case AZURE_BLOB -> AzureBlobObjectStore.connect(storage.azure());
    };
  }

  @Bean
  @ConditionalOnMissingBean
  public GenerationIndex generationIndex(ObjectStore store) {
    return new GenerationIndex(store);
  }

  @Bean
  @ConditionalOnMissingBean
  public WarmHosts warmHosts(ObjectStore store) {
    return new WarmHosts(store);
  }
}
