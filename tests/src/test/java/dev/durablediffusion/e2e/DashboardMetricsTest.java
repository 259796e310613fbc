package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every metric the dashboards and alert rules query is one the applications export. */
class DashboardMetricsTest {

  private static final Path OBSERVABILITY = Path.of("..", "deploy", "aks", "observability");
  private static final Pattern OUR_METRICS =
      Pattern.compile("\\b((?:dd|http|jvm|temporal)_[a-z0-9_]+)");

  @TempDir Path data;

  @Test
  void dashboardsAndAlertsOnlyUseExportedMetrics() throws Exception {
    Set<String> used = metricsUsedBy(OBSERVABILITY);
    assertThat(used).isNotEmpty();
    try (WebhookPlatform platform = new WebhookPlatform(data)) {
      ApiClient api = platform.tenantA();
      String id =
          api.submit(
              """
{"prompt": "a blue circle on a white background", "steps": 4, "upscale": {"factor": 2},
 "webhook": {"url": "%s"}}"""
                  .formatted(platform.receiver().url()));
      api.awaitEnd(id, Duration.ofMinutes(2));

      Metrics.scrapeOnceItShows(
          platform.port(), "dd_webhook_delivery_seconds", Duration.ofSeconds(30));
      String exported =
          Metrics.scrapeOnceItShows(
              platform.port(), "dd_generations_finished_total", Duration.ofSeconds(30));

      assertThat(used).allSatisfy(metric -> assertThat(exported).as(metric).contains(metric));
    }
  }

  private static Set<String> metricsUsedBy(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".yaml"))
              .toList()) {
        Matcher m = OUR_METRICS.matcher(Files.readString(file));
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    return names;
  }
}
