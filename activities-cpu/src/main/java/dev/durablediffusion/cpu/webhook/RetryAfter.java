package dev.durablediffusion.cpu.webhook;

import java.time.Duration;
import java.time.Instant;
import org.apache.hc.client5.http.utils.DateUtils;

/** Reads a {@code Retry-After} header: delay seconds or an HTTP date. */
final class RetryAfter {

  private RetryAfter() {}

  /** The seconds to wait from {@code now}, or null for an absent or unreadable header. */
  static Long seconds(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException tooLarge) {
        return null;
      }
    }
    Instant date = DateUtils.parseStandardDate(value);
    return date == null ? null : Math.max(0, Duration.between(now, date).toSeconds());
  }
}
