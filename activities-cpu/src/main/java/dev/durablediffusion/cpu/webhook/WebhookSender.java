package dev.durablediffusion.cpu.webhook;

import dev.durablediffusion.telemetry.CurrentTrace;
import dev.durablediffusion.webhook.target.VettedTarget;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.Closer;
import org.apache.hc.core5.util.Timeout;

/**
 * Makes one signed POST of a webhook to a vetted target and reports how the receiver answered.
 * Redirects are not followed, and no attempt outlasts the connect and response timeouts together.
 */
public final class WebhookSender {

  private static final String USER_AGENT = "DurableDiffusion-Webhooks/1";
  private static final ContentType JSON = ContentType.create("application/json");
  private static final int GONE = 410;
  private static final int ERROR_EXCERPT_BYTES = 256;

  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Clock clock;

  public WebhookSender(Duration connectTimeout, Duration responseTimeout, Clock clock) {
    this.connectTimeout = connectTimeout;
    this.responseTimeout = responseTimeout;
    this.clock = clock;
  }

  public DeliveryAttempt send(
      VettedTarget target, WebhookEvent event, WebhookSigner signer, int attempt) {
    Instant now = clock.instant();
    byte[] body = WebhookPayload.of(event);
    HttpPost post = post(target, signer.sign(event.webhookId(), now.getEpochSecond(), body), body);
    Duration deadline = connectTimeout.plus(responseTimeout);
    CompletableFuture<Void> deadlineTimer =
        CompletableFuture.runAsync(
            post::cancel,
            CompletableFuture.delayedExecutor(deadline.toMillis(), TimeUnit.MILLISECONDS));
    try (CloseableHttpClient client = clientFor(target)) {
      ClassicHttpResponse response = client.executeOpen(null, post, null);
      try {
        return answered(attempt, now, response);
      } finally {
        // Drops the connection instead of draining whatever else the receiver sends.
        post.cancel();
        Closer.closeQuietly(response);
      }
    } catch (IOException e) {
      String error =
          post.isCancelled()
              ? "no complete response within " + deadline.toMillis() + " ms"
              : failure(e);
      return new DeliveryAttempt(attempt, now.toEpochMilli(), null, error, null, false, false);
    } finally {
      deadlineTimer.cancel(false);
    }
  }

  private static HttpPost post(VettedTarget target, WebhookHeaders headers, byte[] body) {
    HttpPost post = new HttpPost(target.uri());
    post.setHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    post.setHeader(WebhookHeaders.ID, headers.id());
    post.setHeader(WebhookHeaders.TIMESTAMP, headers.timestamp());
    post.setHeader(WebhookHeaders.SIGNATURE, headers.signature());
    CurrentTrace.propagate(post::setHeader);
    post.setEntity(new ByteArrayEntity(body, JSON));
    return post;
  }

  private CloseableHttpClient clientFor(VettedTarget target) {
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new VettedAddressResolver(target.addresses()))
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setSocketTimeout(Timeout.of(responseTimeout))
                        .build())
                .build())
        .setDefaultRequestConfig(
            RequestConfig.custom().setResponseTimeout(Timeout.of(responseTimeout)).build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .disableContentCompression()
        .build();
  }

  private DeliveryAttempt answered(int attempt, Instant at, ClassicHttpResponse response) {
    int status = response.getCode();
    if (status >= 200 && status < 300) {
      return new DeliveryAttempt(attempt, at.toEpochMilli(), status, null, null, true, false);
    }
    Header retryAfter = response.getFirstHeader(HttpHeaders.RETRY_AFTER);
    return new DeliveryAttempt(
        attempt,
        at.toEpochMilli(),
        status,
        "receiver answered " + status + meaning(status) + excerpt(response.getEntity()),
        RetryAfter.seconds(retryAfter == null ? null : retryAfter.getValue(), clock.instant()),
        false,
        status == GONE);
  }

  private static String meaning(int status) {
    if (status == GONE) {
      return ", the endpoint is disabled";
    }
    return status >= 300 && status < 400 ? ", redirects are not followed" : "";
  }

  /**
   * The start of the receiver's explanation, as much as one read brings; the rest is never read.
   */
  private static String excerpt(HttpEntity entity) {
    if (entity == null) {
      return "";
    }
    byte[] start = new byte[ERROR_EXCERPT_BYTES];
    try {
      int length = entity.getContent().read(start);
      String text = length <= 0 ? "" : new String(start, 0, length, StandardCharsets.UTF_8);
      text = text.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
      return text.isEmpty() ? "" : ": " + text;
    } catch (IOException e) {
      return "";
    }
  }

  private String failure(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return "no response within " + responseTimeout.toMillis() + " ms";
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "request failed: " + detail;
  }
}
