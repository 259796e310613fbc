package dev.durablediffusion.storage;

import static dev.durablediffusion.storage.StorageArea.MODELS;
import static dev.durablediffusion.storage.StorageArea.OUTPUTS;
import static dev.durablediffusion.storage.StorageArea.WORK;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every {@link ObjectStore} adapter promises; each adapter's test class extends this one. */
abstract class ObjectStoreContract {

  private static final String PNG = "image/png";
  private static final String OCTET_STREAM = "application/octet-stream";

  @TempDir Path files;

  ObjectStore store;

  /** A store with no objects in it. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  void createStore() throws Exception {
    store = newStore();
  }

  @Test
  void getReturnsTheBytesThatWerePut() {
    store.put(work("gen-1/image-0.png"), bytes("pixels"), PNG);

    assertThat(store.get(work("gen-1/image-0.png"))).hasValue(bytes("pixels"));
  }

  @Test
  void aMissingObjectIsAbsentEverywhere() {
    ObjectRef missing = work("gen-1/missing.png");

    assertThat(store.get(missing)).isEmpty();
    assertThat(store.stat(missing)).isEmpty();
    assertThat(store.exists(missing)).isFalse();
    assertThat(store.delete(missing)).isFalse();
    assertThatThrownBy(() -> store.open(missing))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("work/gen-1/missing.png");
  }

  @Test
  void aKeyThatOnlyPrefixesOtherKeysIsNotAnObject() {
    store.put(work("gen-1/image-0.png"), bytes("pixels"), PNG);

    assertThat(store.exists(work("gen-1"))).isFalse();
    assertThat(store.get(work("gen-1"))).isEmpty();
  }

  @Test
  void putOverwritesTheObject() {
    store.put(work("gen-1/image-0.png"), bytes("first try"), PNG);
    store.put(work("gen-1/image-0.png"), bytes("retry"), PNG);

    assertThat(store.get(work("gen-1/image-0.png"))).hasValue(bytes("retry"));
  }

  @Test
  void theSameKeyInDifferentAreasNamesDifferentObjects() {
    store.put(work("gen-1/image-0.png"), bytes("draft"), PNG);
    store.put(outputs("gen-1/image-0.png"), bytes("final"), PNG);

    assertThat(store.get(work("gen-1/image-0.png"))).hasValue(bytes("draft"));
    assertThat(store.get(outputs("gen-1/image-0.png"))).hasValue(bytes("final"));
    assertThat(store.list(MODELS, "")).isEmpty();
  }

  @Test
  void statReportsSizeContentTypeAndLastModified() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    store.put(outputs("gen-1/image-0.png"), bytes("pixels"), PNG);

    ObjectInfo info = store.stat(outputs("gen-1/image-0.png")).orElseThrow();

    assertThat(info.size()).isEqualTo(6);
    assertThat(info.contentType()).isEqualTo(PNG);
    assertThat(info.lastModified()).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
  }

  @Test
  void existsOnceStoredAndNotAfterDelete() {
    ObjectRef ref = work("gen-1/latent.bin");
    store.put(ref, bytes("latent"), OCTET_STREAM);
    assertThat(store.exists(ref)).isTrue();

    assertThat(store.delete(ref)).isTrue();

    assertThat(store.exists(ref)).isFalse();
    assertThat(store.get(ref)).isEmpty();
  }

  @Test
  void openStreamsTheObject() throws IOException {
    store.put(work("gen-1/image-0.png"), bytes("pixels"), PNG);

    try (InputStream in = store.open(work("gen-1/image-0.png"))) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("pixels"));
    }
  }

  @Test
  void downloadToReplacesTheTargetFile() throws IOException {
    Path target = files.resolve("cache/bundle/manifest.json");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "stale");
    store.put(models("tiny/manifest.json"), bytes("{}"), "application/json");

    store.downloadTo(models("tiny/manifest.json"), target);

    assertThat(target).hasContent("{}");
  }

  @Test
  void downloadToOfAMissingObjectLeavesNoFile() {
    Path target = files.resolve("cache/missing.bin");

    assertThatThrownBy(() -> store.downloadTo(models("tiny/missing.bin"), target))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThat(target).doesNotExist();
    assertThat(target.getParent())
        .satisfiesAnyOf(
            parent -> assertThat(parent).doesNotExist(),
            parent -> assertThat(parent).isEmptyDirectory());
  }

  @Test
  void listReturnsTheSortedKeysUnderThePrefix() {
    for (String key :
        List.of(
            "gen-2/image-0.png", "gen-1/image-1.png", "gen-1/image-0.png", "gen-10/image-0.png")) {
      store.put(work(key), bytes(key), PNG);
    }

    assertThat(store.list(WORK, "gen-1/"))
        .containsExactly("gen-1/image-0.png", "gen-1/image-1.png");
    assertThat(store.list(WORK, "gen-1"))
        .containsExactly("gen-1/image-0.png", "gen-1/image-1.png", "gen-10/image-0.png");
    assertThat(store.list(WORK, ""))
        .containsExactly(
            "gen-1/image-0.png", "gen-1/image-1.png", "gen-10/image-0.png", "gen-2/image-0.png");
    assertThat(store.list(WORK, "gen-3/")).isEmpty();
  }

  @Test
  void deletePrefixDeletesOnlyTheKeysUnderThePrefix() {
    store.put(work("gen-1/image-0.png"), bytes("a"), PNG);
    store.put(work("gen-1/steps/latent-5.bin"), bytes("b"), OCTET_STREAM);
    store.put(work("gen-10/image-0.png"), bytes("c"), PNG);
    store.put(outputs("gen-1/image-0.png"), bytes("d"), PNG);

    assertThat(store.deletePrefix(WORK, "gen-1/")).isEqualTo(2);

    assertThat(store.list(WORK, "")).containsExactly("gen-10/image-0.png");
    assertThat(store.exists(outputs("gen-1/image-0.png"))).isTrue();
    assertThat(store.deletePrefix(WORK, "gen-1/")).isZero();
  }

  @Test
  void invalidPrefixesAreRejected() {
    assertThatThrownBy(() -> store.list(WORK, "../"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'..'");
    assertThatThrownBy(() -> store.deletePrefix(WORK, "/gen-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starts with '/'");
  }

  @Test
  void putFileStreamsALargeFileIntact() throws IOException {
    Path model = files.resolve("unet.pt");
    writeRandomFile(model, 20 * 1024 * 1024 + 123);
    ObjectRef ref = models("sd-turbo/unet.pt");

    store.putFile(ref, model, OCTET_STREAM);
    Path downloaded = files.resolve("download/unet.pt");
    store.downloadTo(ref, downloaded);

    assertThat(Files.mismatch(model, downloaded)).isEqualTo(-1);
    assertThat(store.stat(ref).orElseThrow().size()).isEqualTo(Files.size(model));
    assertThat(store.stat(ref).orElseThrow().contentType()).isEqualTo(OCTET_STREAM);
  }

  @Test
  void concurrentWritersOfTheSameKeyLeaveACompleteObject() throws Exception {
    ObjectRef ref = work("gen-1/latent.bin");
    int size = 256 * 1024;
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int writer = 1; writer <= 4; writer++) {
        byte[] version = filled(size, writer);
        writes.add(
            writers.submit(
                () -> {
                  for (int attempt = 0; attempt < 5; attempt++) {
                    store.put(ref, version, OCTET_STREAM);
                  }
                }));
      }
      while (writes.stream().anyMatch(write -> !write.isDone())) {
        store
            .get(ref)
            .ifPresent(
                seen -> assertThat(seen).satisfies(ObjectStoreContract::isOneWritersVersion));
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } finally {
      writers.shutdownNow();
    }

    assertThat(store.get(ref)).hasValueSatisfying(ObjectStoreContract::isOneWritersVersion);
    assertThat(store.list(WORK, "")).containsExactly("gen-1/latent.bin");
  }

  private static void isOneWritersVersion(byte[] seen) {
    assertThat(seen).hasSize(256 * 1024);
    assertThat(seen).containsOnly(seen[0]);
  }

  private static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static void writeRandomFile(Path file, int size) throws IOException {
    Random random = new Random(42);
    byte[] chunk = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, Math.min(chunk.length, size - written));
      }
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  static ObjectRef work(String key) {
    return new ObjectRef(WORK, key);
  }

  static ObjectRef outputs(String key) {
    return new ObjectRef(OUTPUTS, key);
  }

  static ObjectRef models(String key) {
    return new ObjectRef(MODELS, key);
  }
}
