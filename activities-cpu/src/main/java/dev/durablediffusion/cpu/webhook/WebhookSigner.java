package dev.durablediffusion.cpu.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks the Standard Webhooks way: HMAC-SHA256 over {@code
 * <webhook-id>.<webhook-timestamp>.<body>}, keyed with the base64 part of a {@code whsec_} secret.
 * Thread-safe.
 */
public final class WebhookSigner {

  private static final String SECRET_PREFIX = "whsec_";
  private static final String SIGNATURE_VERSION = "v1";
  private static final String HMAC_SHA256 = "HmacSHA256";
  private static final int MIN_KEY_BYTES = 24;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  /**
   * @throws IllegalArgumentException if the secret is not {@code whsec_} and 24 or more bytes of
   *     base64
   */
  public WebhookSigner(String secret) {
    this.key = new SecretKeySpec(keyOf(secret), HMAC_SHA256);
  }

  /** A fresh secret to hand to a tenant: {@code whsec_} and 24 random bytes in base64. */
  public static String newSecret() {
    byte[] key = new byte[MIN_KEY_BYTES];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  public WebhookHeaders sign(String webhookId, long timestampSeconds, byte[] body) {
    String timestamp = Long.toString(timestampSeconds);
    return new WebhookHeaders(
        webhookId, timestamp, SIGNATURE_VERSION + "," + signature(webhookId, timestamp, body));
  }

  /**
   * Whether one of the signatures is ours for this body and the timestamp lies within {@code
   * tolerance} of {@code now}, either way.
   */
  public boolean verify(WebhookHeaders headers, byte[] body, Instant now, Duration tolerance) {
    if (headers.id() == null
        || headers.signature() == null
        || !withinTolerance(headers.timestamp(), now, tolerance)) {
      return false;
    }
    byte[] expected =
        signature(headers.id(), headers.timestamp(), body).getBytes(StandardCharsets.US_ASCII);
    for (String candidate : headers.signature().split(" ")) {
      String[] versionAndSignature = candidate.split(",", 2);
      if (versionAndSignature.length == 2
          && SIGNATURE_VERSION.equals(versionAndSignature[0])
          && MessageDigest.isEqual(
              expected, versionAndSignature[1].getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  private static boolean withinTolerance(String timestamp, Instant now, Duration tolerance) {
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    long nowSeconds = now.getEpochSecond();
    return seconds >= nowSeconds - tolerance.toSeconds()
        && seconds <= nowSeconds + tolerance.toSeconds();
  }

  private String signature(String webhookId, String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(key);
      mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  private static byte[] keyOf(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException(
          "a webhook signing secret must start with " + SECRET_PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      // Not chained: the decoder's message quotes a character of the secret.
      throw new IllegalArgumentException(
          "a webhook signing secret must be " + SECRET_PREFIX + " followed by base64");
    }
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a webhook signing secret must hold at least "
              + MIN_KEY_BYTES
              + " bytes of key, this one holds "
              + key.length);
    }
    return key;
  }
}
