package dev.durablediffusion.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.api.ApiProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Admission by task queue reads the queue the workflows schedule interactive denoising on: the
 * launcher's and the API's configuration take it from the CPU worker's setting.
 */
class AdmissionQueueSettingTest {

  @ParameterizedTest
  @ValueSource(strings = {"application", "api"})
  void byDefaultItIsTheInteractiveGpuQueue(String configName) {
    assertThat(admissionQueue(configName)).isEqualTo("gpu-interactive");
  }

  @ParameterizedTest
  @ValueSource(strings = {"application", "api"})
  void renamingTheWorkflowsQueueRenamesIt(String configName) {
    assertThat(admissionQueue(configName, "--dd.cpu.interactive-gpu-queue=gpu-renamed"))
        .isEqualTo("gpu-renamed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"application", "api"})
  void itCanBeSetOnItsOwn(String configName) {
    assertThat(
            admissionQueue(
                configName,
                "--dd.cpu.interactive-gpu-queue=gpu-renamed",
                "--dd.api.admission.gpu-queue=gpu-elsewhere"))
        .isEqualTo("gpu-elsewhere");
  }

  private static String admissionQueue(String configName, String... args) {
    try (ConfigurableApplicationContext context = ProcessConfigs.load(configName, args)) {
      return Binder.get(context.getEnvironment())
          .bind("dd.api", ApiProperties.class)
          .get()
          .admission()
          .gpuQueue();
    }
  }
}
