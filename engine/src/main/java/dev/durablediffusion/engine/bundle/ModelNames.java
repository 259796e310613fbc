package dev.durablediffusion.engine.bundle;

import java.util.regex.Pattern;

/** Model and file names become path segments: only a safe alphabet is allowed. */
public final class ModelNames {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ModelNames() {}

  public static String check(String model) {
    if (model == null || !SAFE.matcher(model).matches() || model.contains("..")) {
      throw new IllegalArgumentException("model: '" + model + "' is not a valid model name");
    }
    return model;
  }

  public static String checkFile(String file) {
    if (file == null || !SAFE.matcher(file).matches() || file.contains("..")) {
      throw new IllegalArgumentException("'" + file + "' is not a valid bundle file name");
    }
    return file;
  }
}
