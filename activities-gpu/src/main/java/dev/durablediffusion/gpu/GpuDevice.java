package dev.durablediffusion.gpu;

import ai.djl.Device;

/** Parses the configured device: {@code cpu} or {@code cuda:N} / {@code gpu:N}. */
public final class GpuDevice {

  private GpuDevice() {}

  public static Device parse(String device) {
    String value = device.trim().toLowerCase();
    if (value.equals("cpu")) {
      return Device.cpu();
    }
    if (value.matches("(cuda|gpu):\\d+")) {
      return Device.gpu(Integer.parseInt(value.substring(value.indexOf(':') + 1)));
    }
    throw new IllegalArgumentException("dd.gpu.device: '" + device + "' is neither cpu nor cuda:N");
  }
}
