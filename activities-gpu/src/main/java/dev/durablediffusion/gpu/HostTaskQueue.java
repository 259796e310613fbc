package dev.durablediffusion.gpu;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/** This process's own task queue, where denoise steps run next to the warm model. */
record HostTaskQueue(String name) {

  static HostTaskQueue of(String configured) {
    if (configured != null && !configured.isBlank()) {
      return new HostTaskQueue(configured);
    }
    return new HostTaskQueue(
        "gpu-host-" + hostName() + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
