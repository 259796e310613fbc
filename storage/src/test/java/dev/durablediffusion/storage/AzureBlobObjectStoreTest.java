package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobContainerItem;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AzureBlobObjectStoreTest extends ObjectStoreContract {

  @RegisterExtension static final AzuriteExtension azurite = new AzuriteExtension();

  static final StorageProperties.Retry QUICK_RETRY =
      new StorageProperties.Retry(
          3, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(500));

  private static final AtomicInteger storeNumber = new AtomicInteger();

  private StorageProperties.Containers containers;

  @Override
  protected ObjectStore newStore() {
    int number = storeNumber.incrementAndGet();
    containers =
        new StorageProperties.Containers("models-" + number, "work-" + number, "outputs-" + number);
    return AzureBlobObjectStore.connect(
        new StorageProperties.Azure(
            azurite.connectionString(), null, containers, true, QUICK_RETRY));
  }

  @Test
  void createsTheConfiguredContainersAtStart() {
    assertThat(serviceClient().listBlobContainers().stream().map(BlobContainerItem::getName))
        .contains(containers.models(), containers.work(), containers.outputs());
  }

  @Test
  void recreatesAContainerThatDisappearedWhenWriting() {
    serviceClient().getBlobContainerClient(containers.work()).delete();

    store.put(work("gen-1/image-0.png"), bytes("pixels"), "image/png");

    assertThat(store.get(work("gen-1/image-0.png"))).hasValue(bytes("pixels"));
  }

  @Test
  void failuresNameTheReasonButNeverTheCredentials() {
    String wrongKey = Base64.getEncoder().encodeToString(bytes("not the account key"));
    String connectionString =
        azurite.connectionString().replace(AzuriteExtension.ACCOUNT_KEY, wrongKey);

    assertThatThrownBy(
            () ->
                AzureBlobObjectStore.connect(
                    new StorageProperties.Azure(
                        connectionString,
                        null,
                        new StorageProperties.Containers(null, null, null),
                        true,
                        QUICK_RETRY)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("Cannot create container")
        .hasMessageContaining("HTTP 403")
        .hasMessageNotContaining(wrongKey)
        .hasMessageNotContaining("AccountKey");
  }

  private static BlobServiceClient serviceClient() {
    return new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient();
  }
}
