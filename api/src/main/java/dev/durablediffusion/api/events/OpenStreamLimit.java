package dev.durablediffusion.api.events;

import dev.durablediffusion.api.limits.TooManyRequestsException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** How many event streams each tenant may hold open at once. */
final class OpenStreamLimit {

  static final String PROBLEM = "/problems/too-many-event-streams";
  private static final long RETRY_AFTER_SECONDS = 5;

  private final int perTenant;
  private final ConcurrentMap<String, Integer> open = new ConcurrentHashMap<>();

  OpenStreamLimit(int perTenant) {
    this.perTenant = perTenant;
  }

  /**
   * A place for one more stream of the tenant; running the returned release gives it back (once,
   * however often it runs).
   *
   * @throws TooManyRequestsException when the tenant holds its limit already
   */
  Runnable reserve(String tenant) {
    boolean[] granted = new boolean[1];
    open.compute(
        tenant,
        (t, n) -> {
          int held = n == null ? 0 : n;
          granted[0] = held < perTenant;
          return granted[0] ? held + 1 : n;
        });
    if (!granted[0]) {
      throw new TooManyRequestsException(
          PROBLEM,
          "this API key holds " + perTenant + " event streams open already; close one first",
          RETRY_AFTER_SECONDS);
    }
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        open.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
      }
    };
  }

  int open(String tenant) {
    return open.getOrDefault(tenant, 0);
  }
}
