package dev.durablediffusion.e2e;

import java.util.List;
import java.util.Random;

/** Malformed and hostile variants of a valid generation body, the same for the same seed. */
final class BodyFuzzer {

  private static final String VALID =
      "{\"prompt\":\"a red circle\",\"steps\":1,\"seed\":7,\"num_images\":1,"
          + "\"upscale\":{\"factor\":2},\"metadata\":{\"k\":\"v\"}}";
  private static final List<String> VALUES =
      List.of(
          "null", "true", "-1", "0", "1e400", "-0.0", "99999999999999999999", "1.5", "\"\"",
          "\"4\"", "[]", "{}", "[1,2]", "\"\\u0000\"", "\"\\ud800\"", "\"🦊\"",
          "{\"$ref\":\"x\"}", "\"tiny-upscaler-x4\"", "\"" + "x".repeat(3000) + "\"");
  private static final List<String> FIELDS =
      List.of(
          "prompt", "steps", "seed", "num_images", "width", "guidance_scale", "sampler", "model",
          "upscale", "webhook", "metadata", "init_image", "strength", "priority", "eta");

  private final Random random;

  BodyFuzzer(long seed) {
    this.random = new Random(seed);
  }

  String next() {
    return switch (random.nextInt(7)) {
      case 0 -> flipBytes(VALID);
      case 1 -> VALID.substring(0, random.nextInt(VALID.length()));
      case 2 -> withField(pick(FIELDS), pick(VALUES));
      case 3 -> withField(pick(FIELDS), pick(VALUES)) + pick(List.of("x", "{}", ",", "]", " 1"));
      case 4 -> "[".repeat(1 + random.nextInt(5000)) + "]".repeat(random.nextInt(5000));
      case 5 -> withField("metadata", "{\"a\":" + "{\"b\":".repeat(random.nextInt(2000)) + "1}");
      default -> withField(pick(FIELDS), pick(VALUES)).replace(":", pick(List.of(":", "::", "=")));
    };
  }

  private String withField(String field, String value) {
    return "{\"prompt\":\"p\",\"steps\":1,\"" + field + "\":" + value + "}";
  }

  private String flipBytes(String body) {
    char[] chars = body.toCharArray();
    for (int i = 0; i < 1 + random.nextInt(4); i++) {
      chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
    }
    return new String(chars);
  }

  private String pick(List<String> options) {
    return options.get(random.nextInt(options.size()));
  }
}
