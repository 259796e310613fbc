package dev.durablediffusion.workflows.generation;

import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.temporal.workflow.Workflow;
import java.util.Map;

/** The metrics of ended generations, emitted through the workflow's replay-aware scope. */
final class FinishedGenerations {

  private FinishedGenerations() {}

  static void count(GenerationStatus ended) {
    GenerationPlan plan = ended.plan();
    Scope metrics =
        Workflow.getMetricsScope()
            .tagged(
                Map.of(
                    "status", ended.state().name().toLowerCase(),
                    "model", plan == null ? "unknown" : plan.model(),
                    "priority", plan == null ? "unknown" : plan.priority(),
                    "tenant", ended.tenantId() == null ? "unknown" : ended.tenantId(),
                    "error_type", ended.error() == null ? "none" : ended.error().type()));
    metrics.counter("dd_generations_finished").inc(1);
    metrics
        .timer("dd_generation_duration")
        .record(Duration.ofMillis(ended.finishedAtMillis() - ended.createdAtMillis()));
  }
}
