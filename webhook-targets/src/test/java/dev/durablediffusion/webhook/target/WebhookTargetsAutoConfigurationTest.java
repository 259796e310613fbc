package dev.durablediffusion.webhook.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class WebhookTargetsAutoConfigurationTest {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(WebhookTargetsAutoConfiguration.class));

  @Test
  void theAllowListIsBoundOnceForTheGuard() {
    context
        .withPropertyValues(
            "dd.webhooks.allowed-targets[0]=127.0.0.1/32",
            "dd.webhooks.allowed-targets[1]=hooks.internal")
        .run(
            started -> {
              assertThat(started.getBean(WebhookTargetProperties.class).allowedTargets())
                  .containsExactly("127.0.0.1/32", "hooks.internal");
              assertThat(started).hasSingleBean(WebhookTargetGuard.class);
            });
  }

  @Test
  void withoutSettingsNothingNonPublicIsAllowed() {
    context.run(
        started ->
            assertThat(started.getBean(WebhookTargetProperties.class).allowedTargets()).isEmpty());
  }

  @Test
  void aGuardOfTheApplicationsOwnReplacesIt() {
    WebhookTargetGuard own = new WebhookTargetGuard(List.of(), DnsResolver.system());

    context
        .withBean(WebhookTargetGuard.class, () -> own)
        .run(started -> assertThat(started.getBean(WebhookTargetGuard.class)).isSameAs(own));
  }
}
