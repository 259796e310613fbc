package dev.durablediffusion.workflows.webhook;

import io.temporal.activity.ActivityInterface;

@ActivityInterface
public interface WebhookActivities {

  /** One signed delivery attempt; never throws for a receiver's error, it reports it. */
  DeliveryAttempt send(WebhookEvent event, int attempt);
}
