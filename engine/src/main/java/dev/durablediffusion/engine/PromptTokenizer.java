package dev.durablediffusion.engine;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.durablediffusion.engine.bundle.VerifiedBundle;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.InvalidBundleException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The bundle's Hugging Face tokenizer, fitted to the text window: pads with the pad token and, when
 * a prompt is too long, keeps its head and any special tokens the tokenizer appends.
 */
final class PromptTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;
  private final int maxLength;
  private final long padId;

  private PromptTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId) {
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
    this.padId = padId;
  }

  static PromptTokenizer load(VerifiedBundle bundle) {
    BundleManifest.Text text = bundle.manifest().text();
    try {
      return of(bundle.file("tokenizer"), text.maxLength(), text.padTokenId());
    } catch (IOException | RuntimeException e) {
      throw new InvalidBundleException(
          bundle.name(),
          bundle.manifest().components().get("tokenizer").file(),
          "is not a valid tokenizer: " + e.getMessage(),
          e);
    }
  }

  /** A tokenizer.json fitted to a window of {@code maxLength} tokens padded with {@code padId}. */
  static PromptTokenizer of(Path tokenizerJson, int maxLength, long padId) throws IOException {
    HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(
            tokenizerJson,
            Map.of("truncation", "false", "padding", "false", "maxLength", "100000"));
    return new PromptTokenizer(tokenizer, maxLength, padId);
  }

  PromptTokens tokenize(String prompt) {
    Encoding encoding = tokenizer.encode(prompt == null ? "" : prompt);
    long[] ids = encoding.getIds();
    long[] special = encoding.getSpecialTokenMask();
    boolean truncated = ids.length > maxLength;
    long[] window = new long[maxLength];
    Arrays.fill(window, padId);
    if (!truncated) {
      System.arraycopy(ids, 0, window, 0, ids.length);
      return new PromptTokens(window, false);
    }
    int tail = 0;
    while (tail < ids.length && special[ids.length - 1 - tail] == 1 && tail < maxLength) {
      tail++;
    }
    System.arraycopy(ids, 0, window, 0, maxLength - tail);
    System.arraycopy(ids, ids.length - tail, window, maxLength - tail, tail);
    return new PromptTokens(window, true);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
