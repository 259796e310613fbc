package dev.durablediffusion.cpu.webhook;

import static dev.durablediffusion.cpu.webhook.LocalReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.webhook.target.WebhookTargetGuard;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sends to a real HTTP receiver on 127.0.0.1, the only address these tests ever connect to. */
class WebhookSenderTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final WebhookSigner SIGNER = new WebhookSigner(SECRET);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);

  private final LocalReceiver receiver = new LocalReceiver();
  private final WebhookTargetGuard guard =
      new WebhookTargetGuard(
          List.of("127.0.0.1/32"),
          host -> {
            throw new UnknownHostException(host);
          });
  private final WebhookSender sender =
      new WebhookSender(CONNECT_TIMEOUT, RESPONSE_TIMEOUT, WebhookEvents.CLOCK);

  WebhookSenderTest() throws IOException {}

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void postsTheEventWithStandardWebhooksHeadersThatVerify() throws Exception {
    receiver.answer("/hook", status(204));

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt)
        .isEqualTo(
            new DeliveryAttempt(1, WebhookEvents.NOW.toEpochMilli(), 204, null, null, true, false));
    LocalReceiver.Received received = receiver.received("/hook").get(0);
    assertThat(received.header("content-type")).isEqualTo("application/json");
    assertThat(received.header("user-agent")).isEqualTo("DurableDiffusion-Webhooks/1");
    assertThat(received.header("webhook-id")).isEqualTo("msg_gen-1_completed");
    assertThat(received.header("webhook-timestamp"))
        .isEqualTo(Long.toString(WebhookEvents.NOW.getEpochSecond()));
    assertThat(received.body())
        .isEqualTo(WebhookPayload.of(WebhookEvents.completed(receiver.url("/hook"))));
    assertThat(
            SIGNER.verify(
                headersOf(received), received.body(), WebhookEvents.NOW, Duration.ofMinutes(5)))
        .isTrue();
  }

  @Test
  void aRetryKeepsTheIdAndBodyButIsSignedAtItsOwnTime() throws Exception {
    receiver.answer("/hook", status(200));
    Instant later = WebhookEvents.NOW.plus(Duration.ofMinutes(5));
    WebhookSender senderLater =
        new WebhookSender(CONNECT_TIMEOUT, RESPONSE_TIMEOUT, Clock.fixed(later, ZoneOffset.UTC));

    send(sender, receiver.url("/hook"), 1);
    send(senderLater, receiver.url("/hook"), 2);

    LocalReceiver.Received first = receiver.received("/hook").get(0);
    LocalReceiver.Received second = receiver.received("/hook").get(1);
    assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id"));
    assertThat(second.body()).isEqualTo(first.body());
    assertThat(second.header("webhook-timestamp")).isEqualTo(Long.toString(later.getEpochSecond()));
    assertThat(second.header("webhook-signature")).isNotEqualTo(first.header("webhook-signature"));
    assertThat(SIGNER.verify(headersOf(second), second.body(), later, Duration.ofMinutes(5)))
        .isTrue();
  }

  @Test
  void serviceUnavailableIsAFailedAttemptThatPassesOnRetryAfterSeconds() throws Exception {
    receiver.answer("/hook", status(503, "Retry-After", "7"));

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.delivered()).isFalse();
    assertThat(attempt.permanent()).isFalse();
    assertThat(attempt.statusCode()).isEqualTo(503);
    assertThat(attempt.retryAfterSeconds()).isEqualTo(7L);
    assertThat(attempt.error()).isEqualTo("receiver answered 503");
  }

  @Test
  void readsRetryAfterGivenAsAnHttpDate() throws Exception {
    String inTwoMinutes =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            WebhookEvents.NOW.plusSeconds(120).atZone(ZoneOffset.UTC));
    receiver.answer("/hook", status(429, "Retry-After", inTwoMinutes));

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.statusCode()).isEqualTo(429);
    assertThat(attempt.retryAfterSeconds()).isEqualTo(120L);
  }

  @Test
  void reportsTheStartOfTheReceiversExplanation() throws Exception {
    receiver.answer(
        "/hook",
        exchange -> {
          byte[] body = "{\"error\":\n \"bad signature\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.error()).isEqualTo("receiver answered 401: {\"error\": \"bad signature\"}");
  }

  @Test
  void goneDisablesTheEndpointForGood() throws Exception {
    receiver.answer("/hook", status(410));

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.delivered()).isFalse();
    assertThat(attempt.permanent()).isTrue();
    assertThat(attempt.statusCode()).isEqualTo(410);
    assertThat(attempt.error()).isEqualTo("receiver answered 410, the endpoint is disabled");
  }

  @Test
  void aRedirectIsAFailedAttemptAndIsNotFollowed() throws Exception {
    receiver.answer("/hook", status(302, "Location", receiver.url("/elsewhere")));
    receiver.answer("/elsewhere", status(200));

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.delivered()).isFalse();
    assertThat(attempt.permanent()).isFalse();
    assertThat(attempt.statusCode()).isEqualTo(302);
    assertThat(attempt.error()).isEqualTo("receiver answered 302, redirects are not followed");
    assertThat(receiver.received("/elsewhere")).isEmpty();
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeFailsTheAttempt() throws Exception {
    receiver.answer("/hook", receiver.silence());
    WebhookSender impatient =
        new WebhookSender(CONNECT_TIMEOUT, Duration.ofMillis(300), WebhookEvents.CLOCK);

    DeliveryAttempt attempt = send(impatient, receiver.url("/hook"), 1);

    assertThat(attempt.delivered()).isFalse();
    assertThat(attempt.permanent()).isFalse();
    assertThat(attempt.statusCode()).isNull();
    assertThat(attempt.error()).isEqualTo("no response within 300 ms");
  }

  @Test
  void aReceiverThatKeepsTalkingDoesNotHoldTheAttempt() throws Exception {
    receiver.answer("/hook", receiver.endlessBody(200));
    long start = System.nanoTime();

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.delivered()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(RESPONSE_TIMEOUT.dividedBy(2));
  }

  @Test
  void aReceiverThatKeepsExplainingItsErrorDoesNotHoldTheAttempt() throws Exception {
    receiver.answer("/hook", receiver.endlessBody(500));
    long start = System.nanoTime();

    DeliveryAttempt attempt = send(sender, receiver.url("/hook"), 1);

    assertThat(attempt.error()).isEqualTo("receiver answered 500: still talking");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(RESPONSE_TIMEOUT.dividedBy(2));
  }

  @Test
  void noAttemptOutlastsTheConnectAndResponseTimeoutsTogether() throws Exception {
    WebhookSender impatient =
        new WebhookSender(Duration.ofMillis(500), Duration.ofMillis(500), WebhookEvents.CLOCK);
    ExecutorService dripping = Executors.newSingleThreadExecutor();
    try (ServerSocket slowReceiver = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dripping.submit(() -> dripResponseHead(slowReceiver));
      long start = System.nanoTime();

      DeliveryAttempt attempt =
          send(impatient, "http://127.0.0.1:" + slowReceiver.getLocalPort() + "/hook", 1);

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(attempt.statusCode()).isNull();
      assertThat(attempt.error()).isEqualTo("no complete response within 1000 ms");
    } finally {
      dripping.shutdownNow();
    }
  }

  @Test
  void aRefusedConnectionFailsTheAttempt() throws Exception {
    String closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = "http://127.0.0.1:" + socket.getLocalPort() + "/hook";
    }

    DeliveryAttempt attempt = send(sender, closedPort, 1);

    assertThat(attempt.delivered()).isFalse();
    assertThat(attempt.permanent()).isFalse();
    assertThat(attempt.statusCode()).isNull();
    assertThat(attempt.error()).startsWith("request failed: ").contains("refused");
  }

  private DeliveryAttempt send(WebhookSender through, String url, int attempt) throws Exception {
    return through.send(guard.vet(url), WebhookEvents.completed(url), SIGNER, attempt);
  }

  private static WebhookHeaders headersOf(LocalReceiver.Received received) {
    return new WebhookHeaders(
        received.header("webhook-id"),
        received.header("webhook-timestamp"),
        received.header("webhook-signature"));
  }

  /**
   * Sends a response head one byte at a time, each well within the response timeout, and never ends
   * it.
   */
  private static Void dripResponseHead(ServerSocket server)
      throws IOException, InterruptedException {
    try (Socket connection = server.accept()) {
      OutputStream out = connection.getOutputStream();
      byte[] head = "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
        out.write(i < head.length ? head[i] : 'y');
        out.flush();
        Thread.sleep(100);
      }
    }
    return null;
  }
}
