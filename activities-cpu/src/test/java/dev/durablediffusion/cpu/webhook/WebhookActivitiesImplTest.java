package dev.durablediffusion.cpu.webhook;

import static dev.durablediffusion.cpu.webhook.LocalReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.webhook.target.DnsResolver;
import dev.durablediffusion.webhook.target.WebhookTargetGuard;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The activity with its real guard, secrets and sender, delivering to 127.0.0.1 only. */
class WebhookActivitiesImplTest {

  private static final String SECRET = WebhookSigner.newSecret();
  private static final WebhookSecrets SECRETS =
      new ConfiguredWebhookSecrets(Map.of(WebhookEvents.TENANT, SECRET));
  private static final WebhookSender SENDER =
      new WebhookSender(Duration.ofSeconds(1), Duration.ofSeconds(5), WebhookEvents.CLOCK);
  private static final DnsResolver DNS =
      host -> {
        if (host.equals("receiver.internal")) {
          return List.of(InetAddress.getByName("127.0.0.1"));
        }
        throw new UnknownHostException(host);
      };

  private final LocalReceiver receiver = new LocalReceiver().answer("/hook", status(200));

  WebhookActivitiesImplTest() throws IOException {}

  @AfterEach
  void closeReceiver() {
    receiver.close();
  }

  @Test
  void deliversAWebhookSignedWithTheTenantsSecret() {
    DeliveryAttempt attempt =
        activities(List.of("127.0.0.1/32")).send(event(receiver.url("/hook")), 1);

    assertThat(attempt.delivered()).isTrue();
    LocalReceiver.Received received = receiver.received("/hook").get(0);
    WebhookHeaders headers =
        new WebhookHeaders(
            received.header("webhook-id"),
            received.header("webhook-timestamp"),
            received.header("webhook-signature"));
    assertThat(
            new WebhookSigner(SECRET)
                .verify(headers, received.body(), WebhookEvents.NOW, Duration.ofMinutes(5)))
        .isTrue();
  }

  @Test
  void aTenantWithoutASecretFailsForGoodWithoutSending() {
    WebhookEvent event = event(receiver.url("/hook"));
    WebhookEvent otherTenant =
        new WebhookEvent(
            event.webhookId(),
            "tenant-b",
            event.url(),
            event.type(),
            event.createdAtMillis(),
            event.generation(),
            event.retrySchedule());

    DeliveryAttempt attempt = activities(List.of("127.0.0.1/32")).send(otherTenant, 1);

    assertThat(attempt)
        .isEqualTo(
            new DeliveryAttempt(
                1,
                WebhookEvents.NOW.toEpochMilli(),
                null,
                "no webhook signing secret configured for tenant tenant-b",
                null,
                false,
                true));
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void aPrivateTargetFailsForGood() {
    DeliveryAttempt attempt = activities(List.of()).send(event("http://10.0.0.1/hook"), 3);

    assertThat(attempt)
        .isEqualTo(
            new DeliveryAttempt(
                3,
                WebhookEvents.NOW.toEpochMilli(),
                null,
                "webhook target refused: resolves to a private address 10.0.0.1",
                null,
                false,
                true));
  }

  @Test
  void aRefusedTargetIsNeverContacted() {
    String url = "http://receiver.internal:" + receiver.port() + "/hook";

    DeliveryAttempt attempt = activities(List.of()).send(event(url), 1);

    assertThat(attempt.permanent()).isTrue();
    assertThat(attempt.error())
        .isEqualTo("webhook target refused: resolves to a loopback address 127.0.0.1");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void aHostThatDoesNotResolveIsWorthAnotherAttempt() {
    DeliveryAttempt attempt = activities(List.of()).send(event("https://nowhere.example/hook"), 1);

    assertThat(attempt.permanent()).isFalse();
    assertThat(attempt.statusCode()).isNull();
    assertThat(attempt.error()).isEqualTo("webhook target host does not resolve: nowhere.example");
  }

  private static WebhookActivitiesImpl activities(List<String> allowedTargets) {
    return new WebhookActivitiesImpl(
        new WebhookTargetGuard(allowedTargets, DNS),
        SECRETS,
        SENDER,
        WebhookEvents.CLOCK,
        new SimpleMeterRegistry());
  }

  private static WebhookEvent event(String url) {
    return WebhookEvents.completed(url);
  }
}
