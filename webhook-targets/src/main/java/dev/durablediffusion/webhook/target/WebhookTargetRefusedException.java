package dev.durablediffusion.webhook.target;

/** A webhook URL that must not be called; the message says why and holds no secret. */
public class WebhookTargetRefusedException extends Exception {

  public WebhookTargetRefusedException(String reason) {
    super(reason);
  }
}
