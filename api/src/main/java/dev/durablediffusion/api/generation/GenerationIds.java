package dev.durablediffusion.api.generation;

import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.Digests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A new generation's id: random, or derived from the tenant and its idempotency key, so the same
 * key names the same generation and another tenant's key can never name it.
 */
final class GenerationIds {

  static final int MAX_IDEMPOTENCY_KEY = 255;

  private GenerationIds() {}

  /**
   * @throws InvalidRequestException for a key longer than 255 characters or not printable ASCII
   */
  static String of(String tenant, String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      return "gen_" + UUID.randomUUID().toString().replace("-", "");
    }
    if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY
        || !idempotencyKey.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new InvalidRequestException(
          List.of(
              new FieldError(
                  "Idempotency-Key",
                  "must be at most " + MAX_IDEMPOTENCY_KEY + " printable ASCII characters")));
    }
    byte[] scoped = (tenant + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
    return "gen_" + Digests.sha256(scoped).substring(0, 32);
  }
}
