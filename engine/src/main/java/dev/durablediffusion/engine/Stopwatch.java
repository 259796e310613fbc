package dev.durablediffusion.engine;

import java.util.function.Supplier;

/** Accumulates the time spent in the calls it wraps. */
final class Stopwatch {

  private long nanos;

  <T> T time(Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      nanos += System.nanoTime() - start;
    }
  }

  double millis() {
    return nanos / 1e6;
  }
}
