package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.model.BundleManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmPoolTest {

  private final List<String> loaded = new ArrayList<>();
  private final List<String> closed = new ArrayList<>();

  private WarmPool pool(long budget) {
    return new WarmPool(
        budget,
        bundle -> {
          loaded.add(bundle.name());
          return new LoadedModel() {
            @Override
            public VerifiedBundle bundle() {
              return bundle;
            }

            @Override
            public void close() {
              closed.add(bundle.name());
            }
          };
        });
  }

  private static VerifiedBundle bundle(String name, long bytes) {
    BundleManifest manifest =
        new BundleManifest(
            1,
            name,
            "1",
            "upscaler",
            "float32",
            Map.of("model", new BundleManifest.Component("model.pt", "0".repeat(64), bytes)),
            null,
            null,
            null,
            null,
            null,
            new BundleManifest.Upscale(4));
    return new VerifiedBundle(Path.of(name), manifest, name + "-digest");
  }

  @Test
  void aSecondAcquireIsWarmAndDoesNotLoadAgain() {
    WarmPool pool = pool(100);
    try (WarmPool.Lease first = pool.acquire(bundle("a", 10))) {
      assertThat(first.warm()).isFalse();
    }
    try (WarmPool.Lease second = pool.acquire(bundle("a", 10))) {
      assertThat(second.warm()).isTrue();
      assertThat(second.loadMillis()).isZero();
    }
    assertThat(loaded).containsExactly("a");
  }

  @Test
  void evictsTheLeastRecentlyUsedModelBeyondTheBudget() {
    WarmPool pool = pool(25);
    pool.acquire(bundle("a", 10)).close();
    pool.acquire(bundle("b", 10)).close();
    pool.acquire(bundle("a", 10)).close();
    pool.acquire(bundle("c", 10)).close();

    assertThat(closed).containsExactly("b");
    assertThat(pool.warmModels()).containsExactlyInAnyOrder("a", "c");
    assertThat(pool.memoryBytes()).isEqualTo(20);
  }

  @Test
  void neverEvictsAModelInUseAndClosesItWhenReleased() {
    WarmPool pool = pool(15);
    WarmPool.Lease busy = pool.acquire(bundle("a", 10));
    pool.acquire(bundle("b", 10)).close();

    assertThat(closed).containsExactly("b");
    busy.close();
    pool.acquire(bundle("c", 10)).close();
    assertThat(closed).containsExactly("b", "a");
  }
}
