package dev.durablediffusion.cpu.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class WebhookPropertiesTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void bindsTheDdWebhooksKeys() {
    WebhookProperties properties =
        bind(
            Map.of(
                "dd.webhooks.signing-secrets.tenant-a", SECRET,
                "dd.webhooks.connect-timeout", "2s",
                "dd.webhooks.response-timeout", "20s"));

    assertThat(properties.signingSecrets()).containsExactly(Map.entry("tenant-a", SECRET));
    assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void defaultsToNoSecretsAndFiveAndFifteenSeconds() {
    WebhookProperties properties = bind(Map.of());

    assertThat(properties.signingSecrets()).isEmpty();
    assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void neverPrintsTheSecrets() {
    WebhookProperties properties =
        new WebhookProperties(Map.of("tenant-a", SECRET), null, null);

    assertThat(properties.toString()).contains("tenant-a").doesNotContain(SECRET);
  }

  private static WebhookProperties bind(Map<String, String> configuration) {
    return new Binder(new MapConfigurationPropertySource(configuration))
        .bindOrCreate("dd.webhooks", Bindable.of(WebhookProperties.class));
  }
}
