package dev.durablediffusion.api.auth;

import dev.durablediffusion.api.errors.ProblemDocument;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.telemetry.TenantContextPropagator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /v1} request carries {@code Authorization: Bearer <credential>}: an API key or,
 * where configured, an Entra ID access token, naming its tenant, which the log context then
 * carries, and from it the workflows the request starts.
 */
public class ApiKeyFilter extends OncePerRequestFilter {

  private final List<BearerCredentials> credentials;

  /**
   * @param credentials the kinds of credential accepted, asked in order
   */
  public ApiKeyFilter(List<BearerCredentials> credentials) {
    this.credentials = List.copyOf(credentials);
  }

  /** Signed image URLs carry their own credential. */
  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !path.startsWith("/v1/") || path.startsWith("/v1/files/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION)).size() > 1) {
      ProblemDocument.write(
          response,
          HttpStatus.BAD_REQUEST,
          ProblemDocument.invalidRequest(
              "Authorization: send one credential, in one header",
              List.of(new FieldError("Authorization", "appears more than once"))));
      return;
    }
    Optional<String> tenant = bearer(request).flatMap(this::tenantOf);
    if (tenant.isEmpty()) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
      ProblemDocument.write(
          response,
          "about:blank",
          HttpStatus.UNAUTHORIZED,
          "a valid API key or access token is required in the Authorization header (Bearer)");
      return;
    }
    request.setAttribute(Tenant.REQUEST_ATTRIBUTE, new Tenant(tenant.get()));
    MDC.put(TenantContextPropagator.MDC_KEY, tenant.get());
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(TenantContextPropagator.MDC_KEY);
    }
  }

  private Optional<String> tenantOf(String bearer) {
    return credentials.stream()
        .map(kind -> kind.tenantOf(bearer))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> bearer(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = header.substring(7).trim();
    return key.isEmpty() ? Optional.empty() : Optional.of(key);
  }
}
