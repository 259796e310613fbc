package dev.durablediffusion.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Each process's config file imports the shared actuator, metrics and tracing settings
 * ({@code dd-management.yml}) and keeps its own overrides.
 */
class ManagementSettingsTest {

  private static final String READINESS = "management.endpoint.health.group.readiness.include";

  @ParameterizedTest
  @ValueSource(strings = {"application", "api", "cpu-worker", "gpu-worker"})
  void everyProcessExposesTheSameEndpointsMetricsAndTracing(String configName) {
    try (ConfigurableApplicationContext context = ProcessConfigs.load(configName)) {
      Environment settings = context.getEnvironment();

      assertThat(settings.getProperty("management.endpoints.web.exposure.include"))
          .isEqualTo("health,info,prometheus");
      assertThat(settings.getProperty("management.endpoint.health.probes.enabled"))
          .isEqualTo("true");
      assertThat(settings.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
      assertThat(
              settings.getProperty(
                  "management.metrics.distribution.percentiles-histogram.http.server.requests"))
          .isEqualTo("true");
      assertThat(
              settings.getProperty(
                  "management.metrics.distribution.maximum-expected-value.dd.webhook.delivery"))
          .isEqualTo("2d");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"application", "api", "cpu-worker", "gpu-worker"})
  void theTraceSamplingFollowsTheEnvironmentVariable(String configName) {
    try (ConfigurableApplicationContext context = ProcessConfigs.load(configName, "--DD_TRACE_SAMPLING=0.25")) {
      assertThat(context.getEnvironment().getProperty("management.tracing.sampling.probability"))
          .isEqualTo("0.25");
    }
  }

  @Test
  void theGpuWorkerIsReadyOnlyOnceItsModelIsWarm() {
    try (ConfigurableApplicationContext gpu = ProcessConfigs.load("gpu-worker")) {
      assertThat(gpu.getEnvironment().getProperty(READINESS))
          .isEqualTo("readinessState,defaultModelWarmup");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"application", "api", "cpu-worker"})
  void theOtherProcessesKeepTheDefaultReadiness(String configName) {
    try (ConfigurableApplicationContext other = ProcessConfigs.load(configName)) {
      assertThat(other.getEnvironment().getProperty(READINESS)).isNull();
    }
  }
}
