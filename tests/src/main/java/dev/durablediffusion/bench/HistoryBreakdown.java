package dev.durablediffusion.bench;

import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a generation's time went, read from the server's timestamps in its workflow history.
 * Activities of a generation run one after another, so the span splits into activity execution,
 * activity queue waits, and the rest (workflow tasks and the hops between them).
 *
 * @param spanMillis workflow execution started to completed
 * @param activityQueueMillis activities scheduled to started, summed
 * @param activityRunMillis activities started to closed, summed, as the server saw them
 * @param workflowTasks workflow tasks completed, some of them (progress signals) while the denoise
 *     runs
 * @param workflowTaskMillis workflow tasks scheduled to completed, summed
 * @param workflowTaskQueueMillis the part of that before a worker picked each task up
 * @param closeOutStepMillis the store step's completion to the close-out's: what closing out in
 *     its own activity adds to the span, against closing out inside the store step
 * @param closeOutRunMillis the close-out started to completed: the part of that the store step
 *     would spend too if it closed out itself
 */
record HistoryBreakdown(
    double spanMillis,
    double activityQueueMillis,
    double activityRunMillis,
    int workflowTasks,
    double workflowTaskMillis,
    double workflowTaskQueueMillis,
    double closeOutStepMillis,
    double closeOutRunMillis) {

  private static final String STORE_IMAGES = "StoreImages";
  private static final String CLOSE_OUT = "CloseOut";

  double restMillis() {
    return spanMillis - activityQueueMillis - activityRunMillis;
  }

  static HistoryBreakdown of(List<HistoryEvent> events) {
    Map<Long, Double> times = new HashMap<>();
    double activityQueue = 0;
    double activityRun = 0;
    double workflowTask = 0;
    double workflowTaskQueue = 0;
    int workflowTasks = 0;
    Map<Long, String> activityTypes = new HashMap<>();
    Map<String, Double> completedAt = new HashMap<>();
    double closeOutRun = 0;
    for (HistoryEvent event : events) {
      double time = millis(event.getEventTime());
      times.put(event.getEventId(), time);
      switch (event.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ->
            activityTypes.put(
                event.getEventId(),
                event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
            activityQueue +=
                time
                    - times.get(
                        event.getActivityTaskStartedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
          var completed = event.getActivityTaskCompletedEventAttributes();
          double run = time - times.get(completed.getStartedEventId());
          activityRun += run;
          String type = activityTypes.get(completed.getScheduledEventId());
          completedAt.put(type, time);
          if (CLOSE_OUT.equals(type)) {
            closeOutRun = run;
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
            activityRun +=
                time - times.get(event.getActivityTaskFailedEventAttributes().getStartedEventId());
        case EVENT_TYPE_WORKFLOW_TASK_STARTED ->
            workflowTaskQueue +=
                time
                    - times.get(
                        event.getWorkflowTaskStartedEventAttributes().getScheduledEventId());
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
          workflowTasks++;
          workflowTask +=
              time
                  - times.get(
                      event.getWorkflowTaskCompletedEventAttributes().getScheduledEventId());
        }
        default -> {}
      }
    }
    double span =
        millis(events.get(events.size() - 1).getEventTime()) - millis(events.get(0).getEventTime());
    double closeOutStep =
        completedAt.containsKey(STORE_IMAGES) && completedAt.containsKey(CLOSE_OUT)
            ? completedAt.get(CLOSE_OUT) - completedAt.get(STORE_IMAGES)
            : 0;
    return new HistoryBreakdown(
        span,
        activityQueue,
        activityRun,
        workflowTasks,
        workflowTask,
        workflowTaskQueue,
        closeOutStep,
        closeOutRun);
  }

  private static double millis(Timestamp timestamp) {
    return timestamp.getSeconds() * 1e3 + timestamp.getNanos() / 1e6;
  }
}
