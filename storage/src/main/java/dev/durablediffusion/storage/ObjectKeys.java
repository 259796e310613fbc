package dev.durablediffusion.storage;

/** The rules object keys and key prefixes follow in every adapter. */
final class ObjectKeys {

  private static final int MAX_LENGTH = 1024;

  private ObjectKeys() {}

  static String checkKey(String key) {
    String problem = problemWithKey(key);
    if (problem != null) {
      throw new IllegalArgumentException("Invalid object key '" + printable(key) + "': " + problem);
    }
    return key;
  }

  static String checkPrefix(String prefix) {
    // A prefix is valid when some key starts with it; a trailing "/" is what sets it apart from a
    // key.
    String problem =
        prefix == null ? "it is null" : prefix.isEmpty() ? null : problemWithKey(prefix + "x");
    if (problem != null) {
      throw new IllegalArgumentException(
          "Invalid key prefix '" + printable(prefix) + "': " + problem);
    }
    return prefix;
  }

  private static String problemWithKey(String key) {
    if (key == null) {
      return "it is null";
    }
    if (key.isEmpty()) {
      return "it is empty";
    }
    if (key.length() > MAX_LENGTH) {
      return "it is longer than " + MAX_LENGTH + " characters";
    }
    if (key.startsWith("/")) {
      return "it starts with '/'";
    }
    if (key.contains("\\")) {
      return "it contains a backslash";
    }
    if (key.contains("..")) {
      return "it contains '..'";
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      return "it contains a control character";
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        return "it has an empty segment";
      }
      if (segment.equals(".")) {
        return "it has a '.' segment";
      }
    }
    return null;
  }

  private static String printable(String key) {
    if (key == null) {
      return "null";
    }
    String shown = key.length() > 80 ? key.substring(0, 80) + "…" : key;
    return shown
        .codePoints()
        .collect(
            StringBuilder::new,
            (out, c) ->
                out.append(
                    Character.isISOControl(c)
                        ? String.format("\\u%04x", c)
                        : Character.toString(c)),
            StringBuilder::append)
        .toString();
  }
}
