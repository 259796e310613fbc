package dev.durablediffusion.cpu.webhook;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Signing secrets from configuration ({@code dd.webhooks.signing-secrets}), checked at start-up.
 */
public final class ConfiguredWebhookSecrets implements WebhookSecrets {

  private final Map<String, WebhookSigner> signers;

  /**
   * @param secretsByTenant {@code whsec_…} secrets by tenant id
   * @throws IllegalArgumentException naming the tenant (never the secret) whose secret is malformed
   */
  public ConfiguredWebhookSecrets(Map<String, String> secretsByTenant) {
    this.signers =
        secretsByTenant.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> signer(e.getKey(), e.getValue())));
  }

  private static WebhookSigner signer(String tenantId, String secret) {
    try {
      return new WebhookSigner(secret);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "webhook signing secret of tenant " + tenantId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<WebhookSigner> signerFor(String tenantId) {
    return Optional.ofNullable(signers.get(tenantId));
  }
}
