package dev.durablediffusion.api.auth;

import dev.durablediffusion.model.Digests;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys mapped to tenants. Only SHA-256 hashes of the keys are held, so a heap dump or a log
 * line never shows a key.
 */
public final class ApiKeys {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, String> tenantByKeyHash;

  private ApiKeys(Map<String, String> tenantByKeyHash) {
    this.tenantByKeyHash = Map.copyOf(tenantByKeyHash);
  }

  /** Parses {@code tenant:key,tenant:key}. */
  public static ApiKeys parse(String spec) {
    Map<String, String> byHash = new HashMap<>();
    for (String entry : spec.split(",")) {
      String trimmed = entry.trim();
      int colon = trimmed.indexOf(':');
      if (trimmed.isEmpty()) {
        continue;
      }
      if (colon < 1 || colon == trimmed.length() - 1) {
        throw new IllegalArgumentException(
            "DD_API_KEYS entries must be tenant:key (an entry is malformed)");
      }
      byHash.put(hash(trimmed.substring(colon + 1)), trimmed.substring(0, colon));
    }
    return new ApiKeys(byHash);
  }

  /**
   * Parses {@code tenant:sha256-hex} lines, the form kept in Key Vault so that no copy of a key
   * exists outside the client; blank lines and lines starting with {@code #} are skipped.
   */
  public static ApiKeys parseHashes(String lines) {
    Map<String, String> byHash = new HashMap<>();
    int number = 0;
    for (String line : lines.split("\\R")) {
      number++;
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int colon = trimmed.indexOf(':');
      String hash = colon < 1 ? "" : trimmed.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      if (!SHA256_HEX.matcher(hash).matches()) {
        throw new IllegalArgumentException(
            "API key hashes: line " + number + " is not tenant:<64 hex digits of SHA-256>");
      }
      byHash.put(hash, trimmed.substring(0, colon));
    }
    return new ApiKeys(byHash);
  }

  /** Both sets of keys; where a hash is in both, {@code other} names the tenant. */
  public ApiKeys merge(ApiKeys other) {
    Map<String, String> byHash = new HashMap<>(tenantByKeyHash);
    byHash.putAll(other.tenantByKeyHash);
    return new ApiKeys(byHash);
  }

  public static String newKey() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return "dd_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public boolean isEmpty() {
    return tenantByKeyHash.isEmpty();
  }

  public ApiKeys with(String tenant, String key) {
    Map<String, String> byHash = new HashMap<>(tenantByKeyHash);
    byHash.put(hash(key), tenant);
    return new ApiKeys(byHash);
  }

  public Optional<String> tenantOf(String key) {
    return Optional.ofNullable(tenantByKeyHash.get(hash(key)));
  }

  private static String hash(String key) {
    return Digests.sha256(key.getBytes(StandardCharsets.UTF_8));
  }
}
