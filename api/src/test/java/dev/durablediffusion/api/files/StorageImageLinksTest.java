package dev.durablediffusion.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.storage.FilesystemObjectStore;
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
}
