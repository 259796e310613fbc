package dev.durablediffusion.cpu.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfiguredWebhookSecretsTest {

  @Test
  void givesEachConfiguredTenantASignerAndOthersNone() {
    WebhookSecrets secrets =
        new ConfiguredWebhookSecrets(Map.of("tenant-a", WebhookSigner.newSecret()));

    assertThat(secrets.signerFor("tenant-a")).isPresent();
    assertThat(secrets.signerFor("tenant-b")).isEmpty();
  }

  @Test
  void refusesAMalformedSecretNamingTheTenantButNotTheSecret() {
    String malformed = "whsec_c2hvcnQta2V5";

    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ConfiguredWebhookSecrets(Map.of("tenant-a", malformed)))
        .withMessage(
            "webhook signing secret of tenant tenant-a: "
                + "a webhook signing secret must hold at least 24 bytes of key, this one holds 9");
  }
}
