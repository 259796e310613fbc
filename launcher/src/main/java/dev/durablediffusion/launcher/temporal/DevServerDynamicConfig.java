package dev.durablediffusion.launcher.temporal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dynamic configuration the dev server starts with: the platform's defaults, replaced or added
 * to by {@code dd.temporal.dynamic-config}, passed as the CLI's {@code --dynamic-config-value}.
 */
final class DevServerDynamicConfig {

  /**
   * The dev server runs one history shard, and each shard's transfer queue is read at most 20 times
   * a second by default: every workflow and activity task waited up to 50 ms before it was
   * dispatched (docs/benchmarks.md, "The dev server's transfer queue"). A cluster's hundreds of
   * shards do not meet that limit; one shard does on every task.
   */
  static final Map<String, String> DEFAULTS = Map.of("history.transferProcessorMaxPollRPS", "1000");

  private DevServerDynamicConfig() {}

  /** The CLI arguments for the defaults with {@code overrides} over them, in key order. */
  static List<String> arguments(Map<String, String> overrides) {
    Map<String, String> values = new TreeMap<>(DEFAULTS);
    values.putAll(overrides);
    List<String> arguments = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          arguments.add("--dynamic-config-value");
          arguments.add(key + "=" + value);
        });
    return arguments;
  }
}
