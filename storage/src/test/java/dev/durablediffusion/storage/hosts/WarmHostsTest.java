package dev.durablediffusion.storage.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.storage.FilesystemObjectStore;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.StorageArea;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmHostsTest {

  @TempDir Path root;

  @Test
  void aRenewedRecordCountsUntilItGoesStaleAndAWithdrawnOneAtOnceNot() {
    ObjectStore store = new FilesystemObjectStore(root);
    WarmHosts hosts = new WarmHosts(store);

    hosts.publish(new WarmHost("gpu-host-a", "cuda:0", List.of("tiny-shapes"), 2_000));
    hosts.publish(new WarmHost("gpu-host-b", "cpu", List.of("tiny-shapes", "sd15"), 5_000));
    store.put(new ObjectRef(StorageArea.WORK, "hosts/broken.json"), new byte[] {'{'}, "x");

    assertThat(hosts.current(1_000))
        .extracting(WarmHost::worker)
        .containsExactly("gpu-host-a", "gpu-host-b");
    assertThat(hosts.current(3_000)).extracting(WarmHost::worker).containsExactly("gpu-host-b");
    hosts.withdraw("gpu-host-b");
    assertThat(hosts.current(3_000)).isEmpty();
  }
}
