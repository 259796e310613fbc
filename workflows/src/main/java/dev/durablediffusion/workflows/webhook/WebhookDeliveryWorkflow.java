package dev.durablediffusion.workflows.webhook;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/** Delivers one event on the retry schedule, apart from the generation it reports on. */
@WorkflowInterface
public interface WebhookDeliveryWorkflow {

  @WorkflowMethod
  DeliveryReport deliver(WebhookEvent event);

  @QueryMethod
  List<DeliveryAttempt> attempts();

  /** The workflow id of the delivery of one event type of one generation. */
  static String workflowId(String generationId, String eventType) {
    return generationId + "/webhook/" + eventType;
  }
}
