package dev.durablediffusion.workflows.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.workflows.fairshare.FairShareWorkflowImpl;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflowImpl;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Histories recorded from the Temporal CLI's dev server (see docs/replay.md) replay against the
 * workflow code as it is now: a change that would break a running generation fails here.
 */
class RecordedHistoryReplayTest {

  private static final String FOLDER = "histories";

  /** The workflow type a history starts with, and the implementation that must replay it. */
  private static final Map<String, Class<?>> IMPLEMENTATIONS =
      Map.of(
          "GenerationWorkflow", GenerationWorkflowImpl.class,
          "WebhookDeliveryWorkflow", WebhookDeliveryWorkflowImpl.class,
          "FairShareWorkflow", FairShareWorkflowImpl.class);

  static List<String> recordedHistories() {
    try (Stream<Path> files = Files.list(folder())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0} replays on the current workflow code")
  @MethodSource("recordedHistories")
  void aRecordedHistoryReplaysOnTheCurrentWorkflowCode(String file) throws Exception {
    String json = read(file);

    WorkflowReplayer.replayWorkflowExecution(json, implementationFor(json));
  }

  @Test
  void everyScenarioHasARecordedHistoryOfTheGenerationItsWebhooksAndTheDispatcher() {
    assertThat(recordedHistories())
        .contains(
            "success.json",
            "canceled.json",
            "failed.json",
            "host-loss.json",
            "failing-receiver.json",
            "canceled-delivery-owed.json",
            "webhook-canceled-delivery-owed-started.json",
            "webhook-success-started.json",
            "webhook-success-completed.json",
            "webhook-failing-receiver-completed.json",
            "fair-share-dispatcher.json");
    assertThat(recordedHistories())
        .allSatisfy(f -> assertThat(IMPLEMENTATIONS).containsKey(workflowType(read(f))));
  }

  /** Each side of the gate has recorded generations that started webhook deliveries. */
  @Test
  void theDeliveriesOutliveCancelGateIsReplayedOnBothSides() {
    Map<Boolean, List<String>> byMarker =
        recordedHistories().stream()
            .filter(f -> f.startsWith("success") || f.startsWith("canceled"))
            .collect(
                Collectors.partitioningBy(
                    f ->
                        changeIds(read(f))
                            .contains(GenerationWebhooks.DELIVERIES_OUTLIVE_CANCEL)));

    assertThat(byMarker.get(true)).contains("success.json", "canceled-delivery-owed.json");
    assertThat(byMarker.get(false)).contains("success-before-deliveries-outlive-cancel.json");
  }

  /** Successes recorded before and after the workflow built every final status itself. */
  @Test
  void theFinalStatusFromWorkflowGateIsReplayedOnBothSides() {
    Map<Boolean, List<String>> byMarker =
        recordedHistories().stream()
            .filter(f -> !f.startsWith("webhook-") && !f.startsWith("fair-share"))
            .collect(
                Collectors.partitioningBy(
                    f ->
                        changeIds(read(f))
                            .contains(GenerationWorkflowImpl.FINAL_STATUS_FROM_WORKFLOW)));

    assertThat(byMarker.get(true))
        .contains("success.json", "host-loss.json", "failing-receiver.json");
    assertThat(byMarker.get(false))
        .contains(
            "success-before-final-status-from-workflow.json",
            "host-loss-before-final-status-from-workflow.json",
            "failing-receiver-before-final-status-from-workflow.json");
  }

  private static List<String> changeIds(String json) {
    return WorkflowExecutionHistory.fromJson(json).getEvents().stream()
        .filter(HistoryEvent::hasMarkerRecordedEventAttributes)
        .map(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId"))
        .filter(Objects::nonNull)
        .map(p -> p.getPayloads(0).getData().toStringUtf8().replace("\"", ""))
        .toList();
  }

  /** The replayer reports the failure in the message; the exception carries no cause. */
  @Test
  void aWorkflowThatSchedulesADifferentFirstStepFailsReplayAsNonDeterministic() {
    String json = read("success.json");

    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecution(json, SkipsValidation.class))
        .hasMessageContaining(NonDeterministicException.class.getName())
        .hasMessageContaining("Local activity of type Validate is recorded in the history");
  }

  /**
   * A plausible breaking change: validation dropped, so the first command is the GPU activity where
   * every recorded history has the validation's local activity marker.
   */
  public static class SkipsValidation implements GenerationWorkflow {

    private final ModelActivities models =
        Workflow.newActivityStub(
            ModelActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.GPU_INTERACTIVE)
                .setStartToCloseTimeout(Duration.ofMinutes(30))
                .build());

    @Override
    public GenerationStatus generate(GenerationRequest request) {
      models.prepareModel(request.model());
      return null;
    }

    @Override
    public GenerationStatus status() {
      return null;
    }

    @Override
    public void reportProgress(Progress progress) {}

    @Override
    public void gpuTurnGranted() {}
  }

  private static Class<?> implementationFor(String json) {
    String type = workflowType(json);
    Class<?> implementation = IMPLEMENTATIONS.get(type);
    assertThat(implementation).as("implementation of workflow type " + type).isNotNull();
    return implementation;
  }

  private static String workflowType(String json) {
    return WorkflowExecutionHistory.fromJson(json)
        .getEvents()
        .get(0)
        .getWorkflowExecutionStartedEventAttributes()
        .getWorkflowType()
        .getName();
  }

  private static String read(String file) {
    try {
      return Files.readString(folder().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path folder() {
    URL url = RecordedHistoryReplayTest.class.getClassLoader().getResource(FOLDER);
    if (url == null) {
      throw new IllegalStateException(FOLDER + " is not on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
