package dev.durablediffusion.webhook.target;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param allowedTargets host names and CIDR blocks webhooks may reach although they are not public
 */
@ConfigurationProperties(prefix = "dd.webhooks")
public record WebhookTargetProperties(List<String> allowedTargets) {

  public WebhookTargetProperties {
    allowedTargets = allowedTargets == null ? List.of() : List.copyOf(allowedTargets);
  }
}
