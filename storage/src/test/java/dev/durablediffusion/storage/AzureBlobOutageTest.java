package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The retry settings ride out a storage outage of several seconds. */
class AzureBlobOutageTest {

  @RegisterExtension static final AzuriteExtension azurite = new AzuriteExtension();

  private static final ObjectRef IMAGE = new ObjectRef(StorageArea.OUTPUTS, "gen-1/image-0.png");
  private static final byte[] PIXELS = ObjectStoreContract.bytes("pixels");

  @Test
  void aPutDuringAnOutageCompletesWhenStorageIsBack() throws Exception {
    ObjectStore store =
        storeRetrying(
            new StorageProperties.Retry(
                20, Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(1)));

    azurite.stop();
    CompletableFuture<Void> put =
        CompletableFuture.runAsync(() -> store.put(IMAGE, PIXELS, "image/png"));
    try {
      Thread.sleep(4_000);
      assertThat(put).isNotDone();
    } finally {
      azurite.start();
    }

    put.get(30, TimeUnit.SECONDS);
    assertThat(store.get(IMAGE)).hasValue(PIXELS);
  }

  @Test
  void withoutRetriesAnOutageFailsThePut() {
    ObjectStore store =
        storeRetrying(
            new StorageProperties.Retry(
                1, Duration.ofSeconds(5), Duration.ofMillis(250), Duration.ofSeconds(1)));

    azurite.stop();
    try {
      assertThatThrownBy(() -> store.put(IMAGE, PIXELS, "image/png"))
          .isInstanceOf(StorageException.class)
          .hasMessageStartingWith("Cannot put outputs/gen-1/image-0.png: ")
          .hasMessageContaining("Connection refused");
    } finally {
      azurite.start();
    }
  }

  private static ObjectStore storeRetrying(StorageProperties.Retry retry) {
    return AzureBlobObjectStore.connect(
        new StorageProperties.Azure(
            azurite.connectionString(),
            null,
            new StorageProperties.Containers(null, null, null),
            true,
            retry));
  }
}
