package dev.durablediffusion.cpu.webhook;

/**
 * The three Standard Webhooks headers that authenticate one delivery attempt, as they travel.
 *
 * @param id the same for every attempt at one event, so receivers can drop duplicates
 * @param timestamp seconds since the epoch when the attempt was signed
 * @param signature one or more space-separated {@code v1,<base64>} signatures
 */
public record WebhookHeaders(String id, String timestamp, String signature) {

  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";
}
