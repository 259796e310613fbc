package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Entra ID access tokens next to API keys, against a local issuer that publishes its OpenID
 * configuration and signing keys the way Entra does.
 */
class EntraAccessTokenTest {

  private static final String AUDIENCE = "api://durable-diffusion";
  private static final String CLAIM = "dd_tenant";

  private static HttpServer issuerServer;
  private static String issuer;
  private static RSAKey signingKey;

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.with(
          data -> {
            startIssuer();
            return Map.of(
                "dd.api.keys", "b:key-of-b",
                "dd.api.entra.issuer-uri", issuer,
                "dd.api.entra.audiences", AUDIENCE,
                "dd.api.entra.tenant-claim", CLAIM);
          });

  /** The token issuer's OpenID configuration and signing keys, served before the API starts. */
  private static void startIssuer() throws Exception {
    signingKey = new RSAKeyGenerator(2048).keyID("entra-key-1").generate();
    issuerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    issuer = "http://127.0.0.1:" + issuerServer.getAddress().getPort() + "/tenant-x/v2.0";
    serve(
        "/tenant-x/v2.0/.well-known/openid-configuration",
        """
        {"issuer": "%s", "jwks_uri": "%s/keys"}"""
            .formatted(issuer, issuer));
    serve("/tenant-x/v2.0/keys", new JWKSet(signingKey.toPublicJWK()).toString());
    issuerServer.start();
  }

  @AfterAll
  static void stopIssuer() {
    issuerServer.stop(0);
  }

  @Test
  void aValidTokenActsForTheTenantItsClaimNamesAndOnlyForIt() throws Exception {
    ApiClient tenantA = new ApiClient(platform.port(), token(signingKey, claims -> {}));
    ApiClient tenantB = new ApiClient(platform.port(), "key-of-b");

    String id = tenantA.submit("{\"prompt\": \"a red circle\", \"steps\": 2}");

    assertThat(tenantA.awaitEnd(id, Duration.ofMinutes(2)).get("status").asText())
        .isEqualTo("succeeded");
    assertThat(tenantB.get("/v1/generations/" + id).status()).isEqualTo(404);
    assertThat(platform.data().resolve("outputs/a/" + id + "/image-0.png")).exists();
  }

  @Test
  void aTenantClaimHeldInAnArrayOfOneIsTaken() throws Exception {
    ApiClient client =
        new ApiClient(
            platform.port(), token(signingKey, claims -> claims.claim(CLAIM, List.of("a"))));

    assertThat(client.get("/v1/generations?limit=1").status()).isEqualTo(200);
  }

  @Test
  void refusedTokensGet401AndStartNothing() throws Exception {
    RSAKey otherKey = new RSAKeyGenerator(2048).keyID("entra-key-1").generate();
    Map<String, String> refused =
        Map.of(
            "expired",
            token(
                signingKey,
                c ->
                    c.issueTime(Date.from(Instant.now().minusSeconds(4200)))
                        .notBeforeTime(Date.from(Instant.now().minusSeconds(4200)))
                        .expirationTime(Date.from(Instant.now().minusSeconds(600)))),
            "not yet valid",
            token(signingKey, c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600)))),
            "another audience",
            token(signingKey, c -> c.audience("api://someone-else")),
            "another issuer",
            token(signingKey, c -> c.issuer("https://login.example.com/evil/v2.0")),
            "signed with another key",
            token(otherKey, c -> {}),
            "no tenant claim",
            token(signingKey, c -> c.claim(CLAIM, null)),
            "a tenant that is a path",
            token(signingKey, c -> c.claim(CLAIM, "../b")),
            "two tenants",
            token(signingKey, c -> c.claim(CLAIM, List.of("a", "b"))),
            "unsigned",
            new PlainJWT(claims(c -> {}).build()).serialize());

    refused.forEach(
        (why, token) -> {
          ApiClient client = new ApiClient(platform.port(), token);
          ApiClient.Response submit =
              client.post("/v1/generations", "{\"prompt\": \"a red circle\"}", null);
          assertThat(submit.status()).as(why).isEqualTo(401);
          assertThat(submit.contentType()).as(why).startsWith("application/problem+json");
          assertThat(client.get("/v1/generations").status()).as(why).isEqualTo(401);
        });
    assertThat(platform.data().resolve("outputs/b")).doesNotExist();
  }

  @Test
  void apiKeysKeepWorkingBesideTokens() {
    assertThat(new ApiClient(platform.port(), "key-of-b").get("/v1/generations").status())
        .isEqualTo(200);
    assertThat(new ApiClient(platform.port(), "not-a-key").get("/v1/generations").status())
        .isEqualTo(401);
  }

  private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change)
      throws JOSEException {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims(change).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static JWTClaimsSet.Builder claims(Consumer<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(AUDIENCE)
            .subject("service-principal-of-a")
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plusSeconds(3600)))
            .claim(CLAIM, "a");
    change.accept(claims);
    return claims;
  }

  private static void serve(String path, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    issuerServer.createContext(
        path,
        exchange -> {
          try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
  }
}
