package dev.durablediffusion.storage;

import static dev.durablediffusion.storage.ObjectStoreContract.outputs;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

/**
 * Signed in as a workload identity (no account key), read links are user delegation SAS: Azurite
 * issues the delegation key to the bearer token and checks the links it signs.
 */
class UserDelegationReadUrlTest {

  @RegisterExtension static final AzuriteExtension azurite = AzuriteExtension.withEntraSignIn();

  @Test
  void readUrlsUnderAnEntraIdentityAreUserDelegationSasThatReadOneBlob() throws Exception {
    KeyStore trusted = azurite.certificates();
    io.netty.handler.ssl.SslContext nettyTls =
        sslContextTrusting((X509Certificate) trusted.getCertificate("azurite"));
    BlobServiceClient service =
        new BlobServiceClientBuilder()
            .endpoint(azurite.blobEndpoint())
            .credential(workloadIdentityToken())
            .httpClient(
                new NettyAsyncHttpClientBuilder(
                        reactor.netty.http.client.HttpClient.create()
                            .secure(tls -> tls.sslContext(nettyTls)))
                    .build())
            .buildClient();
    ObjectStore store =
        new AzureBlobObjectStore(
            service,
            Map.of(
                StorageArea.MODELS, "models",
                StorageArea.WORK, "work",
                StorageArea.OUTPUTS, "outputs"),
            true,
            false);
    byte[] png = "pixels".getBytes(StandardCharsets.UTF_8);
    store.put(outputs("acme/gen-1/image-0.png"), png, "image/png");
    store.put(outputs("acme/gen-1/image-1.png"), png, "image/png");

    URI url = store.readUrl(outputs("acme/gen-1/image-0.png"), Duration.ofMinutes(5)).orElseThrow();
    HttpClient anonymous = HttpClient.newBuilder().sslContext(javaSslContext(trusted)).build();
    HttpResponse<byte[]> read =
        anonymous.send(
            HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> other =
        anonymous.send(
            HttpRequest.newBuilder(URI.create(url.toString().replace("image-0", "image-1")))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(url.getQuery()).contains("skoid=", "sktid=", "sp=r", "spr=https");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(png);
    assertThat(other.statusCode()).as("the signature covers one blob").isEqualTo(403);
  }

  /**
   * An Entra ID token's shape for the storage audience. Azurite's basic level checks the issuer,
   * audience and lifetime, not the signature, so nothing here is a real credential.
   */
  private static TokenCredential workloadIdentityToken() {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String claims =
        """
        {"aud":"https://storage.azure.com","iss":"https://sts.windows.net/%s/","iat":%d,"nbf":%d,\
        "exp":%d,"oid":"%s","tid":"%s"}"""
            .formatted(
                "72f988bf-86f1-41af-91ab-2d7cd011db47",
                now - 60,
                now - 60,
                now + 3600,
                "0e0f1c4a-5a8b-4d1e-9f1a-2b3c4d5e6f70",
                "72f988bf-86f1-41af-91ab-2d7cd011db47");
    String token =
        base64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
            + "."
            + base64.encodeToString("unsigned".getBytes(StandardCharsets.UTF_8));
    return request -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
  }

  private static io.netty.handler.ssl.SslContext sslContextTrusting(X509Certificate certificate) {
    try {
      return SslContextBuilder.forClient().trustManager(certificate).build();
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext javaSslContext(KeyStore trusted) throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
