package dev.durablediffusion.cpu.webhook;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Webhook delivery settings. Which targets webhooks may reach is {@code WebhookTargetProperties}.
 *
 * @param signingSecrets {@code whsec_…} signing secret by tenant id
 * @param connectTimeout per address tried, 5 s unless set
 * @param responseTimeout for the receiver's answer, 15 s unless set
 */
@ConfigurationProperties(prefix = "dd.webhooks")
public record WebhookProperties(
    Map<String, String> signingSecrets,
    Duration connectTimeout,
    Duration responseTimeout) {

  public WebhookProperties {
    signingSecrets = signingSecrets == null ? Map.of() : Map.copyOf(signingSecrets);
    connectTimeout =
        positive(
            "connect-timeout", connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout);
    responseTimeout =
        positive(
            "response-timeout", responseTimeout == null ? Duration.ofSeconds(15) : responseTimeout);
  }

  private static Duration positive(String name, Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "dd.webhooks." + name + " must be positive, not " + duration);
    }
    return duration;
  }

  /** Names the tenants that have secrets, never the secrets. */
  @Override
  public String toString() {
    return "WebhookProperties[tenantsWithSigningSecrets="
        + signingSecrets.keySet()
        + ", connectTimeout="
        + connectTimeout
        + ", responseTimeout="
        + responseTimeout
        + "]";
  }
}
