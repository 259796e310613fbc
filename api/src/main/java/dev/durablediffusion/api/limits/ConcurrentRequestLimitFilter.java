package dev.durablediffusion.api.limits;

import dev.durablediffusion.api.auth.Tenant;
import dev.durablediffusion.api.errors.ProblemDocument;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the request threads one tenant holds at once, so that a tenant's slow or stuck clients
 * cannot take the threads every other tenant, and the health probes, need. A request beyond the
 * cap gets 429 at once, before its body is read. Event streams count only while they open.
 */
public class ConcurrentRequestLimitFilter extends OncePerRequestFilter {

  private final int maxPerTenant;
  /** One counter per authenticated tenant, kept: tenants are as few as their credentials. */
  private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

  public ConcurrentRequestLimitFilter(int maxPerTenant) {
    this.maxPerTenant = maxPerTenant;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!(request.getAttribute(Tenant.REQUEST_ATTRIBUTE) instanceof Tenant tenant)) {
      chain.doFilter(request, response);
      return;
    }
    AtomicInteger count = inProgress.computeIfAbsent(tenant.id(), id -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerTenant) {
      count.decrementAndGet();
      refuse(response);
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      count.decrementAndGet();
    }
  }

  private void refuse(HttpServletResponse response) throws IOException {
    response.setHeader(HttpHeaders.RETRY_AFTER, "1");
    response.setHeader(HttpHeaders.CONNECTION, "close");
    ProblemDocument.write(
        response,
        "/problems/too-many-concurrent-requests",
        HttpStatus.TOO_MANY_REQUESTS,
        "this tenant already has "
            + maxPerTenant
            + " requests in progress; retry when one has ended");
  }
}
