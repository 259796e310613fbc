package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * @param method {@code lanczos} (CPU) or the name of an upscaler bundle (GPU)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpscaleSpec(int factor, String method) {

  public static final String LANCZOS = "lanczos";

  public boolean lanczos() {
    return LANCZOS.equals(method);
  }
}
