package dev.durablediffusion.launcher.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DevServerDynamicConfigTest {

  @Test
  void theDevServerReadsItsTransferQueueWithoutTheOneShardPollLimit() {
    assertThat(DevServerDynamicConfig.arguments(Map.of()))
        .containsExactly("--dynamic-config-value", "history.transferProcessorMaxPollRPS=1000");
  }

  @Test
  void aConfiguredValueReplacesTheDefaultAndOthersAreAddedInKeyOrder() {
    assertThat(
            DevServerDynamicConfig.arguments(
                Map.of(
                    "history.transferProcessorMaxPollRPS", "20",
                    "frontend.enableUpdateWorkflowExecution", "true")))
        .containsExactly(
            "--dynamic-config-value",
            "frontend.enableUpdateWorkflowExecution=true",
            "--dynamic-config-value",
            "history.transferProcessorMaxPollRPS=20");
  }

  @Test
  void theLauncherKeepsTheCaseOfBracketedKeysWhichTheServerMatchesExactly() {
    LaunchSettings settings =
        LaunchSettings.read(
            new String[] {"--dd.temporal.dynamic-config[history.transferProcessorMaxPollRPS]=20"});

    assertThat(settings.temporal().dynamicConfig())
        .containsExactly(Map.entry("history.transferProcessorMaxPollRPS", "20"));
  }

  @Test
  void withoutDynamicConfigurationTheLauncherUsesTheDefaultsAlone() {
    assertThat(LaunchSettings.read(new String[0]).temporal().dynamicConfig()).isEmpty();
  }
}
