package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The real CLIP tokenizer (the tiny SD 1.x bundle's {@code tokenizer.json}, built offline from the
 * BPE vocabulary open-clip-torch ships) through the engine's tokenizer gives the ids of
 * transformers' CLIPTokenizer as Stable Diffusion feeds them, for SD 1.x (padded with end-of-text)
 * and SD 2.x (padded with 0), as {@code tools/clip_tokenizer.py} recorded them.
 */
class ClipTokenizerTest {

  @TestFactory
  Stream<DynamicTest> tokenIdsEqualTransformersClipTokenizer()
      throws IOException, URISyntaxException {
    JsonNode reference;
    try (InputStream in = getClass().getResourceAsStream("/clip/clip-token-ids.json")) {
      reference = new ObjectMapper().readTree(in);
    }
    Path tokenizer = Path.of(getClass().getResource("/models/tiny-sd1/tokenizer.json").toURI());
    int window = reference.get("window").asInt();
    assertThat(reference.get("vocab_size").asInt()).isEqualTo(49408);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : reference.get("cases")) {
      String prompt = c.get("prompt").asText();
      tests.add(
          DynamicTest.dynamicTest(
              "'" + prompt.substring(0, Math.min(prompt.length(), 40)) + "'",
              () -> {
                for (String family : List.of("sd1", "sd2")) {
                  try (PromptTokenizer clip =
                      PromptTokenizer.of(
                          tokenizer, window, reference.get("pad_" + family).asLong())) {
                    PromptTokens tokens = clip.tokenize(prompt);
                    assertThat(tokens.ids()).as(family).containsExactly(longs(c.get(family)));
                    assertThat(tokens.truncated()).isEqualTo(c.get("truncated").asBoolean());
                  }
                }
              }));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(12);
    return tests.stream();
  }

  private static long[] longs(JsonNode values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).asLong();
    }
    return out;
  }
}
