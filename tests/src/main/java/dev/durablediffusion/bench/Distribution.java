package dev.durablediffusion.bench;

import java.util.Collection;

/** Measured values of one quantity, sorted, with the statistics the benchmarks print. */
final class Distribution {

  private final double[] sorted;

  Distribution(Collection<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a distribution needs at least one value");
    }
    this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Nearest-rank percentile, {@code p} in (0, 100]. */
  double percentile(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  double median() {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  double min() {
    return sorted[0];
  }

  double max() {
    return sorted[sorted.length - 1];
  }

  double mean() {
    double sum = 0;
    for (double value : sorted) {
      sum += value;
    }
    return sum / sorted.length;
  }
}
