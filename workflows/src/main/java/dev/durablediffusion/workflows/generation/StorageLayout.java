package dev.durablediffusion.workflows.generation;

/** Where a generation's objects live in storage. Keys are deterministic, so retries overwrite. */
public final class StorageLayout {

  private StorageLayout() {}

  /** The work-area prefix of one generation; deleted when it ends. */
  public static String workPrefix(String generationId) {
    return generationId + "/";
  }

  public static String denoised(String generationId, int index) {
    return "work/" + generationId + "/image-" + index + ".png";
  }

  public static String upscaled(String generationId, int index) {
    return "work/" + generationId + "/upscaled-" + index + ".png";
  }

  /** A start image the client uploaded for img2img; deleted with the work area. */
  public static String initImage(String generationId) {
    return "work/" + generationId + "/init.png";
  }

  /** The one checkpoint of a running denoise; each write replaces the last. */
  public static String checkpoint(String generationId) {
    return "work/" + generationId + "/denoise.checkpoint";
  }

  public static String preview(String generationId) {
    return "work/" + generationId + "/preview.png";
  }

  public static String output(String tenantId, String generationId, int index) {
    return "outputs/" + tenantId + "/" + generationId + "/image-" + index + ".png";
  }

  public static String provenance(String tenantId, String generationId) {
    return "outputs/" + tenantId + "/" + generationId + "/provenance.json";
  }
}
