package dev.durablediffusion.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident set size, as Linux reports it in {@code /proc/<pid>/status}. */
final class ResidentMemory {

  private ResidentMemory() {}

  /** This process's. */
  static long mebibytes() {
    return mebibytes("self");
  }

  static long mebibytes(long pid) {
    return mebibytes(Long.toString(pid));
  }

  private static long mebibytes(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/status", e);
    }
    throw new IllegalStateException("/proc/" + pid + "/status has no VmRSS line");
  }
}
