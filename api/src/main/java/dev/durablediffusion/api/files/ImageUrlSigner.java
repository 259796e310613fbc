package dev.durablediffusion.api.files;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Expiring links to output images that work without an API key, so a browser or a customer's CDN
 * can fetch them: {@code /v1/files/<tenant>/<generation>/<index>.png?expires=&signature=}, the
 * signature an HMAC-SHA256 over tenant, generation, index and expiry. Expiry is rounded up to the
 * minute so repeated reads of a generation hand out the same URL and caches keep working.
 */
public class ImageUrlSigner implements ImageLinks {

  public enum Verdict {
    VALID,
    EXPIRED,
    FORGED
  }

  private static final String ALGORITHM = "HmacSHA256";
  private static final int MIN_KEY_BYTES = 32;

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final Clock clock;

  public ImageUrlSigner(byte[] key, Duration lifetime, Clock clock) {
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "dd.api.url-signing-key must hold at least " + MIN_KEY_BYTES + " bytes (base64)");
    }
    if (lifetime.toSeconds() < 60) {
      throw new IllegalArgumentException("dd.api.image-url-lifetime must be at least 1m");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    this.lifetime = lifetime;
    this.clock = clock;
  }

  @Override
  public String url(String tenant, String generationId, int index) {
    long expires = Math.floorDiv(clock.instant().plus(lifetime).getEpochSecond() + 59, 60) * 60;
    return "/v1/files/"
        + tenant
        + "/"
        + generationId
        + "/"
        + index
        + ".png?expires="
        + expires
        + "&signature="
        + sign(tenant, generationId, index, expires);
  }

  public Verdict verify(
      String tenant, String generationId, int index, long expires, String signature) {
    byte[] expected =
        sign(tenant, generationId, index, expires).getBytes(StandardCharsets.US_ASCII);
    if (signature == null
        || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
      return Verdict.FORGED;
    }
    return clock.instant().getEpochSecond() > expires ? Verdict.EXPIRED : Verdict.VALID;
  }

  private String sign(String tenant, String generationId, int index, long expires) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest =
          mac.doFinal(
              (tenant + "\n" + generationId + "\n" + index + "\n" + expires)
                  .getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
