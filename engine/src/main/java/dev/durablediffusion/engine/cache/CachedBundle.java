package dev.durablediffusion.engine.cache;

import dev.durablediffusion.engine.bundle.VerifiedBundle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bundle on this node's disk, kept from eviction until closed: load what it names before closing
 * it.
 */
public final class CachedBundle implements AutoCloseable {

  private final VerifiedBundle bundle;
  private final boolean hit;
  private final long fetchMillis;
  private final Runnable unpin;
  private final AtomicBoolean closed = new AtomicBoolean();

  CachedBundle(VerifiedBundle bundle, boolean hit, long fetchMillis, Runnable unpin) {
    this.bundle = bundle;
    this.hit = hit;
    this.fetchMillis = fetchMillis;
    this.unpin = unpin;
  }

  public VerifiedBundle bundle() {
    return bundle;
  }

  /** Whether the bundle was already on this node's disk. */
  public boolean hit() {
    return hit;
  }

  /** Time spent downloading and verifying (0-ish on a hit). */
  public long fetchMillis() {
    return fetchMillis;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      unpin.run();
    }
  }
}
