package dev.durablediffusion.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The malloc this process runs on. libtorch allocates and frees a tensor per operator on the CPU;
 * glibc's malloc makes that a fifth of a CPU generation's time, which tcmalloc or jemalloc,
 * preloaded with {@code LD_PRELOAD}, mostly remove ({@code docs/benchmarks.md}).
 */
public enum NativeAllocator {
  TCMALLOC("tcmalloc"),
  JEMALLOC("jemalloc"),
  GLIBC("glibc malloc"),
  UNKNOWN("unknown");

  private static final Path MAPS = Path.of("/proc/self/maps");

  private final String label;

  NativeAllocator(String label) {
    this.label = label;
  }

  /** The allocator mapped into this process; {@link #UNKNOWN} where /proc cannot be read. */
  public static NativeAllocator current() {
    try (Stream<String> lines = Files.lines(MAPS)) {
      return fromMappings(lines);
    } catch (IOException | UncheckedIOException e) {
      return UNKNOWN;
    }
  }

  static NativeAllocator fromMappings(Stream<String> lines) {
    NativeAllocator found = GLIBC;
    for (String line : (Iterable<String>) lines::iterator) {
      String file = line.substring(line.lastIndexOf(' ') + 1);
      String name = file.substring(file.lastIndexOf('/') + 1);
      if (name.startsWith("libtcmalloc")) {
        return TCMALLOC;
      }
      if (name.startsWith("libjemalloc")) {
        found = JEMALLOC;
      }
    }
    return found;
  }

  /** True where generating on the CPU would be markedly faster with another allocator. */
  public boolean slowForCpuInference() {
    return this == GLIBC;
  }

  @Override
  public String toString() {
    return label;
  }
}
