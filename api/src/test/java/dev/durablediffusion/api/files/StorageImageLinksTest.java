package dev.durablediffusion.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageImageLinksTest {

  @TempDir Path root;

  @Test
  void aStoreThatMakesNoLinksLeavesTheApisSignedOnesInPlace() {
    ImageLinks api = (tenant, id, index) -> "/v1/files/" + tenant + "/" + id + "/" + index + ".png";
    ImageLinks links =
        new StorageImageLinks(new FilesystemObjectStore(root), Duration.ofMinutes(5), api);

    assertThat(links.url("acme", "gen_1", 0)).isEqualTo("/v1/files/acme/gen_1/0.png");
  }

  @Test
  void aStoreThatFailsToSignCostsTheDirectLinkNotTheResponse() {
    ImageLinks api = (tenant, id, index) -> "/v1/files/" + tenant + "/" + id + "/" + index + ".png";
    ObjectStore refusing = mock(ObjectStore.class);
    when(refusing.readUrl(any(), any()))
        .thenThrow(
            new StorageException("This request is not authorized to perform this operation", null));

    assertThat(new StorageImageLinks(refusing, Duration.ofMinutes(5), api).url("acme", "gen_1", 1))
        .isEqualTo("/v1/files/acme/gen_1/1.png");
  }

  @Test
  void linksMeantToOutliveWhatAzureSignsAreRefusedAtStartUp() {
    assertThatThrownBy(
            () ->
                new StorageImageLinks(
                    new FilesystemObjectStore(root), Duration.ofDays(8), (t, i, n) -> ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("7 days");
  }
}
