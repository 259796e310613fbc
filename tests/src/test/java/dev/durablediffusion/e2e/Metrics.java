package dev.durablediffusion.e2e;

import java.time.Duration;

/**
 * Reads {@code /actuator/prometheus}; Temporal's workflow metrics reach it on a reporting interval.
 */
final class Metrics {

  private Metrics() {}

  static String scrapeOnceItShows(int port, String metric, Duration timeout)
      throws InterruptedException {
    ApiClient client = new ApiClient(port, null);
    long deadline = System.nanoTime() + timeout.toNanos();
    String exposition = "";
    while (System.nanoTime() < deadline) {
      exposition = new String(client.get("/actuator/prometheus").body());
      if (exposition.contains(metric)) {
        return exposition;
      }
      Thread.sleep(250);
    }
    return exposition;
  }
}
