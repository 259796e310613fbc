package dev.durablediffusion.webhook.target;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * One guard for every process: the API refuses a target at submit exactly as the CPU worker would
 * at validate and send.
 */
@AutoConfiguration
@EnableConfigurationProperties(WebhookTargetProperties.class)
public class WebhookTargetsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  WebhookTargetGuard webhookTargetGuard(WebhookTargetProperties properties) {
    return new WebhookTargetGuard(properties.allowedTargets(), DnsResolver.system());
  }
}
