package dev.durablediffusion.telemetry;

import io.opentracing.Tracer;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.context.ContextPropagator;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.spring.boot.autoconfigure.OpenTracingAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Joins Temporal to the application's OpenTelemetry: the starter already traces the client through
 * the OpenTracing shim; this adds the workers' interceptor and the tenant header.
 */
@AutoConfiguration(after = OpenTracingAutoConfiguration.class)
public class TelemetryAutoConfiguration {

  @Bean
  @ConditionalOnBean(Tracer.class)
  TracedWorkers tracedWorkers(Tracer tracer) {
    return new TracedWorkers(tracer);
  }

  @Bean
  TemporalOptionsCustomizer<WorkflowClientOptions.Builder> tenantContextPropagation() {
    return builder -> {
      List<ContextPropagator> propagators = new ArrayList<>();
      List<ContextPropagator> configured = builder.build().getContextPropagators();
      if (configured != null) {
        propagators.addAll(configured);
      }
      propagators.add(new TenantContextPropagator());
      return builder.setContextPropagators(propagators);
    };
  }
}
