package dev.durablediffusion.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cores and the load average, printed beside every figure: numbers from a busy machine are
 * noisy.
 */
final class MachineLoad {

  private MachineLoad() {}

  static String describe() {
    String load;
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      load = fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      load = "unknown";
    }
    return Runtime.getRuntime().availableProcessors() + " cores, load average (1/5/15 min) " + load;
  }
}
