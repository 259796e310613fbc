package dev.durablediffusion.workflows.webhook;

import dev.durablediffusion.workflows.generation.StageOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class WebhookDeliveryWorkflowImpl implements WebhookDeliveryWorkflow {

  private final WebhookActivities activities =
      Workflow.newActivityStub(WebhookActivities.class, StageOptions.webhookSend());

  private final List<DeliveryAttempt> attempts = new ArrayList<>();

  @Override
  public DeliveryReport deliver(WebhookEvent event) {
    List<Duration> schedule = event.retrySchedule();
    for (int i = 0; i < schedule.size(); i++) {
      Workflow.sleep(delayBefore(i, schedule));
      DeliveryAttempt attempt = activities.send(event, i + 1);
      attempts.add(attempt);
      if (attempt.delivered() || attempt.permanent()) {
        break;
      }
    }
    boolean delivered = !attempts.isEmpty() && attempts.get(attempts.size() - 1).delivered();
    return new DeliveryReport(event.webhookId(), delivered, List.copyOf(attempts));
  }

  private Duration delayBefore(int index, List<Duration> schedule) {
    Duration scheduled = schedule.get(index);
    if (attempts.isEmpty()) {
      return scheduled;
    }
    Long retryAfter = attempts.get(attempts.size() - 1).retryAfterSeconds();
    return retryAfter == null ? scheduled : max(scheduled, Duration.ofSeconds(retryAfter));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public List<DeliveryAttempt> attempts() {
    return List.copyOf(attempts);
  }
}
