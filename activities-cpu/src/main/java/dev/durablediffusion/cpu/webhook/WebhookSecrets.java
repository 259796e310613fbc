package dev.durablediffusion.cpu.webhook;

import java.util.Optional;

/** Where each tenant's webhook signing secret is kept. */
public interface WebhookSecrets {

  /** The signer holding the tenant's secret, empty when the tenant has none. */
  Optional<WebhookSigner> signerFor(String tenantId);
}
