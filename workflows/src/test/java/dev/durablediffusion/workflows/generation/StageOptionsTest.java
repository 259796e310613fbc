package dev.durablediffusion.workflows.generation;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The timeout table of docs/workflow.md against {@link StageOptions}: each stage's row names its
 * start-to-close timeout, its fixed heartbeat timeout, its attempts and the failures it does not
 * retry, as the options set them.
 */
class StageOptionsTest {

  private static final String TENANT = "tenant-a";
  private static final StageSettings SETTINGS =
      new StageSettings(
          "gpu-interactive", Duration.ofMinutes(10), Duration.ofSeconds(30), List.of(), 0);

  /** What a row promises: its timeouts and retries cells. */
  private record Row(String timeouts, String retries) {}

  /** A stage as the options set it. */
  private record Stage(Duration startToClose, Duration fixedHeartbeat, RetryOptions retries) {}

  static List<Arguments> stages() {
    return List.of(
        Arguments.of("request GPU turn (local activity)", of(StageOptions.gpuTurnRequest())),
        Arguments.of("validate (local activity)", of(StageOptions.validate())),
        Arguments.of("prepareModel", of(StageOptions.prepareModel("gpu", TENANT))),
        Arguments.of("denoise", of(StageOptions.denoise("host", TENANT, SETTINGS))),
        Arguments.of("upscale (lanczos)", of(StageOptions.lanczosUpscale())),
        Arguments.of("upscale (model)", of(StageOptions.modelUpscale("gpu", TENANT))),
        Arguments.of("store", of(StageOptions.storage())),
        Arguments.of("closeOut", of(StageOptions.storage())),
        Arguments.of("webhook send", of(StageOptions.webhookSend())));
  }

  private static Stage of(LocalActivityOptions options) {
    return new Stage(options.getStartToCloseTimeout(), null, options.getRetryOptions());
  }

  /** A heartbeat timeout that comes from the settings is the table's to name, not a figure. */
  private static Stage of(ActivityOptions options) {
    Duration heartbeat = options.getHeartbeatTimeout();
    return new Stage(
        options.getStartToCloseTimeout(),
        heartbeat == null || heartbeat.equals(SETTINGS.denoiseHeartbeat()) ? null : heartbeat,
        options.getRetryOptions());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stages")
  void theTimeoutTableSaysWhatTheStageOptionsSet(String stage, Stage options) throws IOException {
    Row row = timeoutTable().get(stage);

    assertThat(row).as("a row for " + stage).isNotNull();
    assertThat(row.timeouts()).contains("start-to-close " + spoken(options.startToClose()));
    if (options.fixedHeartbeat() != null) {
      assertThat(row.timeouts()).contains("heartbeat " + spoken(options.fixedHeartbeat()));
    }
    int attempts = options.retries().getMaximumAttempts();
    assertThat(row.retries()).startsWith(attempts + (attempts == 1 ? " attempt" : " attempts"));
    String[] notRetried = options.retries().getDoNotRetry();
    for (String type : notRetried == null ? new String[0] : notRetried) {
      assertThat(row.retries()).contains("`" + type + "`");
    }
  }

  @Test
  void everyGpuStageCarriesTheTenantAsItsFairnessKey() {
    List<ActivityOptions> gpuStages =
        List.of(
            StageOptions.prepareModel("gpu", TENANT),
            StageOptions.denoise("host", TENANT, SETTINGS),
            StageOptions.modelUpscale("gpu", TENANT));

    assertThat(gpuStages)
        .allSatisfy(options -> assertThat(options.getPriority().getFairnessKey()).isEqualTo(TENANT));
  }

  private static Map<String, Row> timeoutTable() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "workflow.md"));
    String table = doc.substring(doc.indexOf("## Timeouts and retries per stage"));
    Map<String, Row> rows = new HashMap<>();
    for (String line : table.split("\n")) {
      String[] cells = line.split(" \\| ");
      if (line.startsWith("| ") && cells.length >= 4) {
        rows.put(cells[0].substring(2), new Row(cells[2], cells[3]));
      }
    }
    return rows;
  }

  private static String spoken(Duration duration) {
    if (duration.toHours() > 0 && duration.toMinutesPart() == 0) {
      return duration.toHours() + " h";
    }
    if (duration.toMinutes() > 0 && duration.toSecondsPart() == 0) {
      return duration.toMinutes() + " min";
    }
    return duration.toSeconds() + " s";
  }
}
