package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class StorageAutoConfigurationTest {

  private static final String UNREACHABLE_AZURITE =
      "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
          + "AccountKey="
          + AzuriteExtension.ACCOUNT_KEY
          + ";BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;";

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(StorageAutoConfiguration.class));

  @Test
  void isRegisteredAsAnAutoConfiguration() {
    assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
        .contains(StorageAutoConfiguration.class.getName());
  }

  @Test
  void storesOnTheFilesystemUnderDataByDefault() {
    context.run(
        started -> {
          assertThat(started).hasSingleBean(FilesystemObjectStore.class);
          assertThat(
                  started
                      .getBean(StorageProperties.class)
                      .filesystem()
                      .root()
                      .toAbsolutePath()
                      .normalize())
              .isEqualTo(Path.of("data").toAbsolutePath());
        });
  }

  @Test
  void bindsTheAzureProperties() {
    context
        .withPropertyValues(
            "dd.storage.type=azure-blob",
            "dd.storage.azure.connection-string=" + UNREACHABLE_AZURITE,
            "dd.storage.azure.create-containers=false",
            "dd.storage.azure.containers.models=dd-models",
            "dd.storage.azure.retry.max-tries=9",
            "dd.storage.azure.retry.try-timeout=2m",
            "dd.storage.azure.retry.retry-delay=500ms",
            "dd.storage.azure.retry.max-retry-delay=20s")
        .run(
            started -> {
              assertThat(started).hasSingleBean(AzureBlobObjectStore.class);
              StorageProperties.Azure azure = started.getBean(StorageProperties.class).azure();
              assertThat(azure.containers())
                  .isEqualTo(new StorageProperties.Containers("dd-models", "work", "outputs"));
              assertThat(azure.createContainers()).isFalse();
              assertThat(azure.retry())
                  .isEqualTo(
                      new StorageProperties.Retry(
                          9,
                          Duration.ofMinutes(2),
                          Duration.ofMillis(500),
                          Duration.ofSeconds(20)));
            });
  }

  @Test
  void signsInToAnEndpointWithDefaultAzureCredential() {
    context
        .withPropertyValues(
            "dd.storage.type=azure-blob",
            "dd.storage.azure.endpoint=https://ddstorage.blob.core.windows.net",
            "dd.storage.azure.create-containers=false")
        .run(started -> assertThat(started).hasSingleBean(AzureBlobObjectStore.class));
  }

  @Test
  void azureBlobWithBothAConnectionStringAndAnEndpointFailsAtStartup() {
    context
        .withPropertyValues(
            "dd.storage.type=azure-blob",
            "dd.storage.azure.connection-string=" + UNREACHABLE_AZURITE,
            "dd.storage.azure.endpoint=https://ddstorage.blob.core.windows.net")
        .run(
            started ->
                assertThat(started)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("not both")
                    .hasMessageNotContaining(AzuriteExtension.ACCOUNT_KEY));
  }

  @Test
  void azureBlobWithoutAnAccountFailsAtStartup() {
    context
        .withPropertyValues("dd.storage.type=azure-blob")
        .run(
            started ->
                assertThat(started)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("dd.storage.azure.connection-string")
                    .hasMessageContaining("dd.storage.azure.endpoint"));
  }

  @Test
  void anInvalidContainerNameFailsAtStartup() {
    context
        .withPropertyValues("dd.storage.azure.containers.work=Work_Items")
        .run(
            started ->
                assertThat(started)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining(
                        "dd.storage.azure.containers.work='Work_Items' is not a container name"));
  }

  @Test
  void anApplicationsOwnObjectStoreWins() {
    ObjectStore own = new FilesystemObjectStore(Path.of("elsewhere"));

    context
        .withBean(ObjectStore.class, () -> own)
        .run(started -> assertThat(started.getBean(ObjectStore.class)).isSameAs(own));
  }
}
