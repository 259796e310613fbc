package dev.durablediffusion.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemObjectStoreTest extends ObjectStoreContract {

  @TempDir Path root;

  @Override
  protected ObjectStore newStore() {
    return new FilesystemObjectStore(root);
  }

  @Test
  void handsOutNoReadUrlsSinceNothingServesTheDirectory() {
    store.put(outputs("acme/gen-1/image-0.png"), bytes("pixels"), "image/png");

    assertThat(store.readUrl(outputs("acme/gen-1/image-0.png"), Duration.ofMinutes(5))).isEmpty();
  }

  @Test
  void eachAreaIsASubdirectoryOfTheRoot() {
    store.put(outputs("gen-1/image-0.png"), bytes("pixels"), "image/png");

    assertThat(root.resolve("outputs/gen-1/image-0.png")).hasBinaryContent(bytes("pixels"));
  }

  @Test
  void theContentTypeOutlivesTheStoreInstance() {
    store.put(outputs("gen-1/image-0.png"), bytes("pixels"), "image/png");

    assertThat(new FilesystemObjectStore(root).stat(outputs("gen-1/image-0.png")))
        .hasValueSatisfying(info -> assertThat(info.contentType()).isEqualTo("image/png"));
  }

  @Test
  void aFileCopiedInByHandIsAnOctetStream() throws IOException {
    Files.createDirectories(root.resolve("models/tiny"));
    Files.writeString(root.resolve("models/tiny/manifest.json"), "{}");

    assertThat(store.stat(models("tiny/manifest.json")))
        .hasValueSatisfying(
            info -> assertThat(info.contentType()).isEqualTo("application/octet-stream"));
  }

  @Test
  void theTemporaryFileOfACrashedWriteIsNotAnObject() throws IOException {
    store.put(work("gen-1/image-0.png"), bytes("pixels"), "image/png");
    Files.writeString(root.resolve("work/gen-1/.image-1.png.5f0c.partial"), "half");

    assertThat(store.list(StorageArea.WORK, "")).containsExactly("gen-1/image-0.png");
  }

  @Test
  void deletingTheLastObjectOfADirectoryRemovesTheDirectory() {
    store.put(work("gen-1/steps/latent-5.bin"), bytes("latent"), "application/octet-stream");

    store.deletePrefix(StorageArea.WORK, "gen-1/");

    assertThat(root.resolve("work")).isEmptyDirectory();
  }
}
