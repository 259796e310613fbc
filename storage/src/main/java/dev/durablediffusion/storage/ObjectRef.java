package dev.durablediffusion.storage;

import java.io.Serializable;
import java.util.Objects;

/**
 * A reference to an object in storage: what workflow activities pass around instead of bytes. Its
 * string form is {@code <area>/<key>}, e.g. {@code work/gen-1/image-0.png}.
 *
 * <p>Keys are '/'-separated, at most 1024 characters, printable, without "..", a leading "/",
 * backslashes, empty or "." segments.
 */
public record ObjectRef(StorageArea area, String key) implements Serializable {

  public ObjectRef {
    Objects.requireNonNull(area, "area");
    ObjectKeys.checkKey(key);
  }

  /** Parses the {@link #toString()} form, e.g. {@code outputs/gen-1/image-0.png}. */
  public static ObjectRef parse(String ref) {
    Objects.requireNonNull(ref, "ref");
    int slash = ref.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "Invalid object reference '"
              + ref
              + "': expected <area>/<key>, e.g. work/gen-1/image-0.png");
    }
    return new ObjectRef(StorageArea.named(ref.substring(0, slash)), ref.substring(slash + 1));
  }

  @Override
  public String toString() {
    return area.defaultName() + "/" + key;
  }
}
