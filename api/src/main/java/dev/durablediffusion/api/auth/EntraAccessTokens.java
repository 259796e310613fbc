package dev.durablediffusion.api.auth;

import dev.durablediffusion.api.ApiProperties;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Microsoft Entra ID access tokens: the signature against the issuer's published keys, the issuer,
 * one of the accepted audiences and the lifetime are checked; the tenant is a configured claim. The
 * claim becomes a storage path segment, so only plain names are taken.
 */
public final class EntraAccessTokens implements BearerCredentials {

  private static final Logger log = LoggerFactory.getLogger(EntraAccessTokens.class);
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private final JwtDecoder decoder;
  private final String tenantClaim;

  EntraAccessTokens(JwtDecoder decoder, String tenantClaim) {
    this.decoder = decoder;
    this.tenantClaim = tenantClaim;
  }

  /** Keys are fetched on first use (and cached), so the API starts while the issuer is away. */
  public static EntraAccessTokens of(ApiProperties.Entra entra) {
    if (entra.audiences().isEmpty()) {
      throw new IllegalStateException(
          "dd.api.entra.audiences must name this API's application ID URI or client id");
    }
    NimbusJwtDecoder decoder =
        (entra.jwkSetUri().isBlank()
                ? NimbusJwtDecoder.withIssuerLocation(entra.issuerUri())
                : NimbusJwtDecoder.withJwkSetUri(entra.jwkSetUri()))
            .build();
    List<String> audiences = entra.audiences();
    decoder.setJwtValidator(
        JwtValidators.createDefaultWithValidators(
            new JwtIssuerValidator(entra.issuerUri()),
            new JwtClaimValidator<List<String>>(
                JwtClaimNames.AUD,
                aud -> aud != null && aud.stream().anyMatch(audiences::contains))));
    return new EntraAccessTokens(decoder, entra.tenantClaim());
  }

  @Override
  public Optional<String> tenantOf(String bearer) {
    if (bearer.chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    Jwt token;
    try {
      token = decoder.decode(bearer);
    } catch (JwtException e) {
      log.info("access token refused: {}", e.getMessage());
      return Optional.empty();
    }
    Optional<String> tenant = tenant(token.getClaims().get(tenantClaim));
    if (tenant.isEmpty()) {
      log.info(
          "access token of subject {} has no usable '{}' claim", token.getSubject(), tenantClaim);
    }
    return tenant;
  }

  /** A string, or an array holding exactly one (Entra's {@code roles}, for instance). */
  private static Optional<String> tenant(Object claim) {
    if (claim instanceof List<?> values && values.size() == 1) {
      claim = values.get(0);
    }
    return claim instanceof String name && TENANT.matcher(name).matches()
        ? Optional.of(name)
        : Optional.empty();
  }
}
