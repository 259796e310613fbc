package dev.durablediffusion.api.limits;

import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per tenant for new generations. Buckets live in this API replica: with N replicas
 * behind a load balancer a tenant gets up to N times the rate, which the in-flight limit (shared
 * through storage) still bounds.
 */
public class SubmissionRateLimiter {

  private final double perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public SubmissionRateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException(
          "dd.api.submissions-per-second must be > 0 and dd.api.submission-burst >= 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Takes a token; when there is none, returns the whole seconds until there will be one. */
  public OptionalLong tryAcquire(String tenant) {
    Bucket bucket = buckets.computeIfAbsent(tenant, t -> new Bucket(burst, nanoTime.getAsLong()));
    synchronized (bucket) {
      long now = nanoTime.getAsLong();
      bucket.tokens =
          Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) / 1e9 * perSecond);
      bucket.updatedNanos = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return OptionalLong.empty();
      }
      return OptionalLong.of((long) Math.ceil((1 - bucket.tokens) / perSecond));
    }
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }
}
