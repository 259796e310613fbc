package dev.durablediffusion.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class GpuDeviceTest {

  @Test
  void readsCpuAndNumberedGpus() {
    assertThat(GpuDevice.parse(" CPU ")).isEqualTo(Device.cpu());
    assertThat(GpuDevice.parse("cuda:1")).isEqualTo(Device.gpu(1));
    assertThat(GpuDevice.parse("gpu:0")).isEqualTo(Device.gpu(0));
  }

  @Test
  void refusesAnythingElseNamingTheSetting() {
    for (String value : new String[] {"cuda", "cuda:x", "mps", "cuda:-1", ""}) {
      assertThatThrownBy(() -> GpuDevice.parse(value))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("dd.gpu.device")
          .hasMessageContaining("'" + value + "'");
    }
  }
}
