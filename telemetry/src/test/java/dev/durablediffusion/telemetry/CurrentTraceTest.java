package dev.durablediffusion.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class CurrentTraceTest {

  @AfterEach
  void clearLogContext() {
    MDC.clear();
  }

  @Test
  void detachedWorkRunsOutsideTheCallersTraceAndTenantWhichComeBackAfter() {
    SpanContext generation =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    MDC.put("tenant", "acme");
    AtomicReference<String> tenantInside = new AtomicReference<>("unset");
    AtomicReference<Boolean> tracedInside = new AtomicReference<>();

    try (Scope scope = Context.root().with(Span.wrap(generation)).makeCurrent()) {
      assertThat(CurrentTrace.traceId()).hasValue(generation.getTraceId());
      CurrentTrace.detached(
          () -> {
            tenantInside.set(MDC.get("tenant"));
            tracedInside.set(CurrentTrace.traceId().isPresent());
          });
      assertThat(CurrentTrace.traceId()).hasValue(generation.getTraceId());
    }

    assertThat(tenantInside.get()).isNull();
    assertThat(tracedInside.get()).isFalse();
    assertThat(MDC.get("tenant")).isEqualTo("acme");
  }
}
