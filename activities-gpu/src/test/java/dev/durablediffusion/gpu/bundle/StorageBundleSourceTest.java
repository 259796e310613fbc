package dev.durablediffusion.gpu.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.durablediffusion.engine.ModelUpscaler;
import dev.durablediffusion.engine.cache.CachedBundle;
import dev.durablediffusion.engine.cache.ModelCache;
import dev.durablediffusion.engine.cache.UnknownModelException;
import dev.durablediffusion.model.InvalidBundleException;
import dev.durablediffusion.storage.AzureBlobObjectStore;
import dev.durablediffusion.storage.AzuriteExtension;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.storage.StorageProperties;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bundles in Azure Blob (Azurite), through the storage port, into the node's disk cache. */
class StorageBundleSourceTest {

  @RegisterExtension static final AzuriteExtension azurite = new AzuriteExtension();

  private static final String UPSCALER = "tiny-upscaler-x4";
  private static final AtomicInteger accounts = new AtomicInteger();

  @TempDir Path cacheRoot;
  private ObjectStore store;
  private ModelCache cache;

  @BeforeEach
  void connect() {
    int n = accounts.incrementAndGet();
    store =
        AzureBlobObjectStore.connect(
            new StorageProperties.Azure(
                azurite.connectionString(),
                null,
                new StorageProperties.Containers("models-" + n, "work-" + n, "outputs-" + n),
                true,
                new StorageProperties.Retry(
                    2, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(200))));
    cache = new ModelCache(cacheRoot, Long.MAX_VALUE, List.of(new StorageBundleSource(store)));
  }

  @Test
  void aBundleInBlobStorageIsDownloadedOnceVerifiedAndLoads() throws IOException {
    upload("manifest.json", shipped("manifest.json"));
    upload("model.pt", shipped("model.pt"));

    assertThat(new StorageBundleSource(store).models()).containsExactly(UPSCALER);
    try (CachedBundle first = cache.fetch(UPSCALER);
        ModelUpscaler upscaler = ModelUpscaler.load(first.bundle(), Device.cpu())) {
      assertThat(first.hit()).isFalse();
      assertThat(upscaler.upscale(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB)).getWidth())
          .isEqualTo(64);
    }
    try (CachedBundle second = cache.fetch(UPSCALER)) {
      assertThat(second.hit()).isTrue();
    }
  }

  @Test
  void aCorruptedBlobIsNamedAndNothingIsCached() throws IOException {
    byte[] tampered = shipped("model.pt");
    tampered[tampered.length / 2] ^= 1;
    upload("manifest.json", shipped("manifest.json"));
    upload("model.pt", tampered);

    assertThatThrownBy(() -> cache.fetch(UPSCALER))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("model.pt");
    try (var left = Files.list(cacheRoot)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aModelNotInStorageIsUnknown() {
    assertThatThrownBy(() -> cache.fetch(UPSCALER))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining(UPSCALER);
  }

  private void upload(String file, byte[] bytes) {
    store.put(
        new ObjectRef(StorageArea.MODELS, UPSCALER + "/" + file),
        bytes,
        "application/octet-stream");
  }

  private static byte[] shipped(String file) throws IOException {
    try (InputStream in =
        StorageBundleSourceTest.class.getResourceAsStream("/models/" + UPSCALER + "/" + file)) {
      return in.readAllBytes();
    }
  }
}
