package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflow;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;

/**
 * Starts one delivery workflow per event the generation's webhook asked for. A delivery is
 * abandoned by its parent, so it outlives the generation and retries on its own schedule.
 */
final class GenerationWebhooks {

  /**
   * From version 1 a webhook delivery starts outside the generation's cancellation scope, so a
   * cancel no longer cancels deliveries already owed; earlier histories replay without it.
   */
  static final String DELIVERIES_OUTLIVE_CANCEL = "deliveries-outlive-cancel";

  private final GenerationRecord record;

  GenerationWebhooks(GenerationRecord record) {
    this.record = record;
  }

  void notify(String event) {
    GenerationPlan plan = record.plan();
    if (plan == null || plan.webhook() == null || !plan.webhook().wants(event)) {
      return;
    }
    String workflowId = WebhookDeliveryWorkflow.workflowId(record.generationId(), event);
    WebhookDeliveryWorkflow delivery =
        Workflow.newChildWorkflowStub(
            WebhookDeliveryWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    WebhookEvent payload =
        new WebhookEvent(
            workflowId,
            record.tenantId(),
            plan.webhook().url(),
            "generation." + event,
            Workflow.currentTimeMillis(),
            record.status(),
            plan.settings().webhookRetrySchedule());
    if (Workflow.getVersion(DELIVERIES_OUTLIVE_CANCEL, Workflow.DEFAULT_VERSION, 1) == 1) {
      Workflow.newDetachedCancellationScope(() -> start(delivery, payload)).run();
    } else {
      start(delivery, payload);
    }
  }

  private static void start(WebhookDeliveryWorkflow delivery, WebhookEvent payload) {
    Async.function(delivery::deliver, payload);
    Workflow.getWorkflowExecution(delivery).get();
  }
}
