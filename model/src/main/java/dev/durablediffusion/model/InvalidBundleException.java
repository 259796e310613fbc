package dev.durablediffusion.model;

/** A bundle that cannot be used: names the bundle and the file at fault. */
public class InvalidBundleException extends RuntimeException {

  private final String bundle;
  private final String file;

  public InvalidBundleException(String bundle, String file, String reason) {
    this(bundle, file, reason, null);
  }

  public InvalidBundleException(String bundle, String file, String reason, Throwable cause) {
    super("model bundle " + bundle + ": " + file + " " + reason, cause);
    this.bundle = bundle;
    this.file = file;
  }

  public String bundle() {
    return bundle;
  }

  public String file() {
    return file;
  }
}
