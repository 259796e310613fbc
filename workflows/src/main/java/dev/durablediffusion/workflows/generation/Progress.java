package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Denoising progress reported by the running step.
 *
 * @param previewRef a small preview of the current latent in the work area, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Progress(int step, int total, long elapsedMillis, long etaMillis, String previewRef) {

  public int percent() {
    return total == 0 ? 0 : (int) (100L * step / total);
  }
}
