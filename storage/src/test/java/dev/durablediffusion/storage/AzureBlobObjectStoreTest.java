package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobContainerItem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  void aReadUrlFetchesTheObjectWithoutCredentialsAndNothingElse() throws Exception {
    store.put(outputs("acme/gen-1/image-0.png"), bytes("pixels"), "image/png");
    store.put(outputs("acme/gen-1/image-1.png"), bytes("other pixels"), "image/png");

    URI url = store.readUrl(outputs("acme/gen-1/image-0.png"), Duration.ofMinutes(5)).orElseThrow();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<byte[]> read =
        http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    URI otherBlob = URI.create(url.toString().replace("image-0.png", "image-1.png"));
    HttpResponse<byte[]> readOther =
        http.send(
            HttpRequest.newBuilder(otherBlob).build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> overwrite =
        http.send(
            HttpRequest.newBuilder(url)
                .header("x-ms-blob-type", "BlockBlob")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes("forged")))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> unsigned =
        http.send(
            HttpRequest.newBuilder(URI.create(url.toString().replaceFirst("\\?.*", ""))).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(bytes("pixels"));
    assertThat(url.getQuery()).contains("sp=r", "se=");
    assertThat(readOther.statusCode()).as("the signature covers one blob").isEqualTo(403);
    assertThat(overwrite.statusCode()).as("read only").isEqualTo(403);
    assertThat(unsigned.statusCode()).isIn(403, 404);
    assertThat(store.get(outputs("acme/gen-1/image-0.png"))).hasValue(bytes("pixels"));
  }

  @Test
  void readUrlsLiveAtMostSevenDays() {
    store.put(outputs("acme/gen-1/image-0.png"), bytes("pixels"), "image/png");

    assertThatThrownBy(() -> store.readUrl(outputs("acme/gen-1/image-0.png"), Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class);
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
