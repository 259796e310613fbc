package dev.durablediffusion.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import org.slf4j.MDC;

/**
 * Puts the running activity's trace and span ids into the log context, under the keys Spring Boot
 * uses for request threads ({@code traceId}, {@code spanId}), so one trace id joins the logs of
 * every process a generation passes through.
 */
final class TraceLogContext extends ActivityInboundCallsInterceptorBase {

  static final String TRACE_ID = "traceId";
  static final String SPAN_ID = "spanId";

  TraceLogContext(ActivityInboundCallsInterceptor next) {
    super(next);
  }

  @Override
  public ActivityOutput execute(ActivityInput input) {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid()) {
      return super.execute(input);
    }
    MDC.put(TRACE_ID, span.getTraceId());
    MDC.put(SPAN_ID, span.getSpanId());
    try {
      return super.execute(input);
    } finally {
      MDC.remove(TRACE_ID);
      MDC.remove(SPAN_ID);
    }
  }
}
