package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StoragePropertiesTest {

  private static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  @Test
  void neverPrintsTheAccountKeyOfTheConnectionString() {
    StorageProperties properties =
        bind(
            Map.of(
                "dd.storage.type", "azure-blob",
                "dd.storage.azure.connection-string",
                    "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                        + ACCOUNT_KEY));

    assertThat(properties.toString())
        .doesNotContain(ACCOUNT_KEY)
        .doesNotContain("AccountName")
        .contains("connectionString=set", "createContainers=true");
  }

  private static StorageProperties bind(Map<String, String> configuration) {
    return new Binder(new MapConfigurationPropertySource(configuration))
        .bindOrCreate("dd.storage", Bindable.of(StorageProperties.class));
  }
}
