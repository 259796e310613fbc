package dev.durablediffusion.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/** The trace the calling thread works in: its id for records, its W3C headers for requests. */
public final class CurrentTrace {

  private CurrentTrace() {}

  /** The 32-hex-digit trace id, empty outside a sampled or remote span. */
  public static Optional<String> traceId() {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? Optional.of(span.getTraceId()) : Optional.empty();
  }

  /**
   * Runs {@code work} outside the calling thread's trace and tenant: for a call that may start a
   * long-lived workflow shared by everyone, which must not join one generation's trace or take its
   * tenant into its log context for good.
   */
  public static void detached(Runnable work) {
    String tenant = MDC.get(TenantContextPropagator.MDC_KEY);
    MDC.remove(TenantContextPropagator.MDC_KEY);
    try (Scope root = Context.root().makeCurrent()) {
      work.run();
    } finally {
      if (tenant != null) {
        MDC.put(TenantContextPropagator.MDC_KEY, tenant);
      }
    }
  }

  /** The executor, running each task in the trace of the thread that submitted it. */
  public static ExecutorService carriedInto(ExecutorService executor) {
    return Context.taskWrapping(executor);
  }

  /** Writes {@code traceparent} (and {@code tracestate} when set) for an outgoing request. */
  public static void propagate(BiConsumer<String, String> header) {
    W3CTraceContextPropagator.getInstance()
        .inject(Context.current(), header, (sink, name, value) -> sink.accept(name, value));
  }
}
