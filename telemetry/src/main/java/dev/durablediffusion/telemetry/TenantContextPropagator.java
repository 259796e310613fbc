package dev.durablediffusion.telemetry;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the tenant from the log context of the API request that starts a generation into its
 * workflow, child workflows and every activity, through Temporal headers, so their log lines name
 * the tenant too.
 */
public final class TenantContextPropagator implements ContextPropagator {

  public static final String MDC_KEY = "tenant";
  private static final String HEADER = "dd-tenant";
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;

  @Override
  public String getName() {
    return HEADER;
  }

  @Override
  public Map<String, Payload> serializeContext(Object tenant) {
    return tenant == null ? Map.of() : Map.of(HEADER, CONVERTER.toPayload(tenant).orElseThrow());
  }

  @Override
  public Object deserializeContext(Map<String, Payload> header) {
    Payload payload = header.get(HEADER);
    return payload == null ? null : CONVERTER.fromPayload(payload, String.class, String.class);
  }

  @Override
  public Object getCurrentContext() {
    return MDC.get(MDC_KEY);
  }

  /** Worker threads are pooled: a task without a tenant must not inherit the previous one's. */
  @Override
  public void setCurrentContext(Object tenant) {
    if (tenant == null) {
      MDC.remove(MDC_KEY);
    } else {
      MDC.put(MDC_KEY, tenant.toString());
    }
  }
}
