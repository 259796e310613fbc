package dev.durablediffusion.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Payload;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantContextPropagatorTest {

  private final TenantContextPropagator propagator = new TenantContextPropagator();

  @AfterEach
  void clearLogContext() {
    MDC.clear();
  }

  @Test
  void theTenantOfTheLogContextTravelsThroughTheHeaderIntoAnotherThreadsLogContext() {
    MDC.put("tenant", "acme");
    Map<String, Payload> header = propagator.serializeContext(propagator.getCurrentContext());
    MDC.clear();

    propagator.setCurrentContext(propagator.deserializeContext(header));

    assertThat(MDC.get("tenant")).isEqualTo("acme");
  }

  @Test
  void aTaskWithoutATenantClearsThePreviousTaskOfAPooledThread() {
    MDC.put("tenant", "previous");
    Map<String, Payload> header = propagator.serializeContext(propagator.getCurrentContext());
    MDC.clear();
    Map<String, Payload> none = propagator.serializeContext(propagator.getCurrentContext());
    assertThat(none).isEmpty();

    propagator.setCurrentContext(propagator.deserializeContext(header));
    propagator.setCurrentContext(propagator.deserializeContext(none));

    assertThat(MDC.get("tenant")).isNull();
  }
}
