package dev.durablediffusion.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A benchmark's {@code --name value} arguments; an unknown name or a missing value is refused. */
final class CommandLineFlags {

  private final Map<String, String> values;

  private CommandLineFlags(Map<String, String> values) {
    this.values = values;
  }

  static CommandLineFlags parse(String[] args, Set<String> known) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i].startsWith("--") ? args[i].substring(2) : null;
      if (name == null || !known.contains(name) || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "expected --name value pairs with a name among " + known + ", got '" + args[i] + "'");
      }
      values.put(name, args[i + 1]);
    }
    return new CommandLineFlags(values);
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  double decimal(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  /** A comma-separated list of integers, such as {@code 1,2,4}. */
  List<Integer> integers(String name, String fallback) {
    return Arrays.stream(text(name, fallback).split(","))
        .map(String::trim)
        .map(Integer::valueOf)
        .toList();
  }

  /** A comma-separated list of {@code KEY=VALUE} pairs, in their order; empty when absent. */
  Map<String, String> pairs(String name) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (!values.containsKey(name)) {
      return pairs;
    }
    for (String pair : values.get(name).split(",")) {
      int equals = pair.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException(
            "--" + name + " expects KEY=VALUE pairs, got '" + pair + "'");
      }
      pairs.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }
    return pairs;
  }

  List<String> words(String name, String fallback) {
    return Arrays.stream(text(name, fallback).split(",")).map(String::trim).toList();
  }
}
