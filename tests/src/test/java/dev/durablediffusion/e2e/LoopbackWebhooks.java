package dev.durablediffusion.e2e;

import java.util.HashMap;
import java.util.Map;

/**
 * Platform settings for one tenant, {@code a} with key {@code key-a}, whose webhooks are signed
 * with a given secret and may go to receivers on loopback.
 */
final class LoopbackWebhooks {

  private LoopbackWebhooks() {}

  static Map<String, Object> tenantA(String signingSecret) {
    return tenantA(signingSecret, Map.of());
  }

  /**
   * @param more further settings
   */
  static Map<String, Object> tenantA(String signingSecret, Map<String, Object> more) {
    Map<String, Object> settings = new HashMap<>(more);
    settings.put("dd.api.keys", "a:key-a");
    settings.put("dd.webhooks.signing-secrets.a", signingSecret);
    settings.put("dd.webhooks.allowed-targets", "127.0.0.1/32");
    return settings;
  }
}
