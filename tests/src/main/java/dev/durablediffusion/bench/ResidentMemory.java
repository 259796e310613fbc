package dev.durablediffusion.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident set size, as Linux reports it in {@code /proc/self/status}. */
final class ResidentMemory {

  private ResidentMemory() {}

  static long mebibytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/self/status", e);
    }
    throw new IllegalStateException("/proc/self/status has no VmRSS line");
  }
}
