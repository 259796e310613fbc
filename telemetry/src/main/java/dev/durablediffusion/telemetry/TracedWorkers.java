package dev.durablediffusion.telemetry;

import io.nexusrpc.handler.OperationContext;
import io.opentracing.Tracer;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.NexusOperationInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;

/**
 * Temporal's tracing interceptor for workers: a span per workflow run and per activity attempt,
 * each the child of the span that scheduled it, with the activity's ids in the log context.
 */
public final class TracedWorkers implements WorkerInterceptor {

  private final OpenTracingWorkerInterceptor tracing;

  public TracedWorkers(Tracer tracer) {
    this.tracing =
        new OpenTracingWorkerInterceptor(OpenTracingOptions.newBuilder().setTracer(tracer).build());
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return tracing.interceptWorkflow(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return tracing.interceptActivity(new TraceLogContext(next));
  }

  @Override
  public NexusOperationInboundCallsInterceptor interceptNexusOperation(
      OperationContext context, NexusOperationInboundCallsInterceptor next) {
    return tracing.interceptNexusOperation(context, next);
  }
}
