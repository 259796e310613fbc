package dev.durablediffusion.cpu.webhook;

import dev.durablediffusion.webhook.target.VettedTarget;
import dev.durablediffusion.webhook.target.WebhookTargetGuard;
import dev.durablediffusion.webhook.target.WebhookTargetRefusedException;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.WebhookActivities;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt: the tenant's secret, the SSRF guard, then one signed POST. Every failure is
 * reported in the {@link DeliveryAttempt}, never thrown; the workflow decides whether to retry.
 */
public class WebhookActivitiesImpl implements WebhookActivities {

  private static final Logger log = LoggerFactory.getLogger(WebhookActivitiesImpl.class);

  private final WebhookTargetGuard guard;
  private final WebhookSecrets secrets;
  private final WebhookSender sender;
  private final Clock clock;
  private final MeterRegistry registry;

  public WebhookActivitiesImpl(
      WebhookTargetGuard guard,
      WebhookSecrets secrets,
      WebhookSender sender,
      Clock clock,
      MeterRegistry registry) {
    this.guard = guard;
    this.secrets = secrets;
    this.sender = sender;
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public DeliveryAttempt send(WebhookEvent event, int attempt) {
    DeliveryAttempt result = attempt(event, attempt);
    log.info(
        "webhook {} of tenant {}, attempt {}: delivered={} permanent={} status={}"
            + " retryAfterSeconds={} error={}",
        event.webhookId(),
        event.tenantId(),
        attempt,
        result.delivered(),
        result.permanent(),
        result.statusCode(),
        result.retryAfterSeconds(),
        result.error());
    String outcome = result.delivered() ? "delivered" : result.permanent() ? "permanent" : "failed";
    Counter.builder("dd.webhook.attempts")
        .description("webhook delivery attempts by outcome")
        .tag("event", event.type())
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    if (result.delivered()) {
      Timer.builder("dd.webhook.delivery")
          .description("time from the event to its successful delivery, retries included")
          .tag("event", event.type())
          .publishPercentileHistogram()
          .register(registry)
          .record(Duration.ofMillis(Math.max(0, result.atMillis() - event.createdAtMillis())));
    }
    return result;
  }

  private DeliveryAttempt attempt(WebhookEvent event, int attempt) {
    Optional<WebhookSigner> signer = secrets.signerFor(event.tenantId());
    if (signer.isEmpty()) {
      return failure(
          attempt, "no webhook signing secret configured for tenant " + event.tenantId(), true);
    }
    VettedTarget target;
    try {
      target = guard.vet(event.url());
    } catch (WebhookTargetRefusedException e) {
      return failure(attempt, "webhook target refused: " + e.getMessage(), true);
    } catch (UnknownHostException e) {
      return failure(attempt, "webhook target host does not resolve: " + e.getMessage(), false);
    }
    return sender.send(target, event, signer.get(), attempt);
  }

  private DeliveryAttempt failure(int attempt, String error, boolean permanent) {
    return new DeliveryAttempt(attempt, clock.millis(), null, error, null, false, permanent);
  }
}
