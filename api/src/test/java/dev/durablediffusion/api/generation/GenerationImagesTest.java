package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.Progress;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationImagesTest {

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path root;
  private UseCaseFixture fixture;
  private GenerationImages images;

  @BeforeEach
  void setUp() {
    fixture = new UseCaseFixture(root);
    images = new GenerationImages(fixture.lookup, fixture.store);
  }

  private void put(String ref) {
    fixture.store.put(ObjectRef.parse(ref), PNG, PngCodec.CONTENT_TYPE);
  }

  @Test
  void theOutputsOfASucceededGenerationAreServedByIndex() {
    fixture.recordEnded(UseCaseFixture.succeeded("acme", "gen_1", 2));
    put(StorageLayout.output("acme", "gen_1", 1));

    assertThat(images.output("acme", "gen_1", 1)).contains(PNG);
    assertThat(images.output("acme", "gen_1", 2)).isEmpty();
    assertThat(images.output("acme", "gen_1", -1)).isEmpty();
  }

  @Test
  void noOutputIsServedBeforeTheGenerationSucceeded() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.STORING));
    put(StorageLayout.output("acme", "gen_1", 0));

    assertThat(images.output("acme", "gen_1", 0)).isEmpty();
  }

  @Test
  void thePreviewIsServedWhileItDenoises() {
    String preview = StorageLayout.preview("gen_1");
    fixture.workflows.put(
        GenerationStatuses.of(
            "acme",
            "gen_1",
            GenerationState.DENOISING,
            null,
            new Progress(3, 10, 300, 700, preview),
            List.of(),
            4));
    put(preview);

    assertThat(images.preview("acme", "gen_1")).contains(PNG);
  }

  @Test
  void anotherTenantsImagesAreNotFound() {
    fixture.recordEnded(UseCaseFixture.succeeded("acme", "gen_1", 1));
    put(StorageLayout.output("acme", "gen_1", 0));

    assertThatThrownBy(() -> images.output("globex", "gen_1", 0))
        .isInstanceOf(GenerationNotFoundException.class);
    assertThatThrownBy(() -> images.preview("globex", "gen_1"))
        .isInstanceOf(GenerationNotFoundException.class);
  }
}
