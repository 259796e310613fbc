package dev.durablediffusion.cpu.webhook;

import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.WebhookActivities;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import java.net.UnknownHostException;
import java.time.Clock;
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

  public WebhookActivitiesImpl(
      WebhookTargetGuard guard, WebhookSecrets secrets, WebhookSender sender, Clock clock) {
    this.guard = guard;
    this.secrets = secrets;
    this.sender = sender;
    this.clock = clock;
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
