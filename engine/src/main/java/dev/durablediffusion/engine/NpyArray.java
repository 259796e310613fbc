package dev.durablediffusion.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array of little-endian float32 or float64 in C order — what {@code
 * np.save(path, latents)} writes — read as float32, e.g. a pipeline's start latents to compare
 * this engine with diffusers on the same noise.
 *
 * @param shape the array's dimensions
 * @param values the elements in C (row-major) order
 */
public record NpyArray(int[] shape, float[] values) {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  /**
   * @throws IllegalArgumentException saying what is wrong with bytes that are not such an array
   */
  public static NpyArray read(byte[] file) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (file.length < 10 || !Arrays.equals(Arrays.copyOf(file, 6), MAGIC)) {
      throw new IllegalArgumentException("not a .npy file");
    }
    int major = file[6];
    in.position(8);
    long headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : in.getInt() & 0xFFFFFFFFL;
    if (major < 1 || major > 3 || headerLength > in.remaining()) {
      throw new IllegalArgumentException("a .npy header of version " + major + " that does not fit");
    }
    byte[] headerBytes = new byte[(int) headerLength];
    in.get(headerBytes);
    String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
    String descr = group(DESCR, header, "descr");
    if (!group(FORTRAN, header, "fortran_order").equals("False")) {
      throw new IllegalArgumentException("Fortran order is not supported, save in C order");
    }
    int[] shape =
        Arrays.stream(group(SHAPE, header, "shape").split(","))
            .map(String::strip)
            .filter(d -> !d.isEmpty())
            .mapToInt(Integer::parseInt)
            .toArray();
    long count = Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact);
    int width =
        switch (descr) {
          case "<f4" -> 4;
          case "<f8" -> 8;
          default ->
              throw new IllegalArgumentException(
                  "dtype " + descr + " is not supported (float32 or float64, little-endian)");
        };
    if (count * width != in.remaining()) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + count * width + " bytes of data, found "
              + in.remaining());
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = width == 4 ? in.getFloat() : (float) in.getDouble();
    }
    return new NpyArray(shape, values);
  }

  private static String group(Pattern pattern, String header, String key) {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new IllegalArgumentException("the .npy header has no " + key);
    }
    return m.group(1);
  }
}
