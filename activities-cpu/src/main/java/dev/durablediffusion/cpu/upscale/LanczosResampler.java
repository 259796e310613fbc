package dev.durablediffusion.cpu.upscale;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Separable Lanczos-3 resampling of images, for enlarging and for shrinking.
 *
 * <p>The kernel is L(x) = sinc(x)·sinc(x/3) for |x| &lt; 3, else 0. Pixel centres are at
 * half-integer coordinates: output pixel i of an axis scaled from {@code in} to {@code out} pixels
 * is centred at input coordinate c = (i + ½)·in/out, and input pixel j (centred at j + ½) gets the
 * weight L((j + ½ − c)/f) with f = max(in/out, 1) — when shrinking, the kernel is widened by the
 * scale so that it also low-pass filters. Input pixels outside the image are clamped to the nearest
 * edge pixel (edge replication), and each output pixel's weights are normalised to sum to 1, so a
 * constant image stays constant. Rows are resampled first, then columns; intermediate values stay
 * floating point (no rounding or clamping between the passes).
 *
 * <p>Stateless and thread-safe.
 */
public final class LanczosResampler {

  /** The number of lobes, a. */
  public static final int LOBES = 3;

  /** Creates a resampler (stateless; instances are interchangeable). */
  public LanczosResampler() {}

  /**
   * Resizes an image, channel by channel (red, green, blue). Any alpha is dropped.
   *
   * @param src the source image, of any type (read through {@link BufferedImage#getRGB})
   * @param width the target width (positive)
   * @param height the target height (positive)
   * @return a new {@link BufferedImage#TYPE_INT_RGB} image; channel values are rounded to the
   *     nearest integer (halves up) and clamped to 0..255
   */
  public BufferedImage resize(BufferedImage src, int width, int height) {
    Objects.requireNonNull(src, "src");
    checkSize("width", width);
    checkSize("height", height);
    int sw = src.getWidth();
    int sh = src.getHeight();
    int[] argb = src.getRGB(0, 0, sw, sh, null, 0, sw);
    float[][] planes = new float[3][sw * sh];
    for (int k = 0; k < argb.length; k++) {
      int p = argb[k];
      planes[0][k] = (p >> 16) & 0xff;
      planes[1][k] = (p >> 8) & 0xff;
      planes[2][k] = p & 0xff;
    }
    float[][] out = resizePlanes(planes, sw, sh, width, height);
    int[] rgb = new int[width * height];
    for (int k = 0; k < rgb.length; k++) {
      rgb[k] = (toByte(out[0][k]) << 16) | (toByte(out[1][k]) << 8) | toByte(out[2][k]);
    }
    BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    dst.setRGB(0, 0, width, height, rgb, 0, width);
    return dst;
  }

  /**
   * Resizes one plane of samples (row-major, {@code srcWidth × srcHeight}). Values are not clamped;
   * Lanczos rings, so results may leave the input's range near sharp edges.
   *
   * @return a new row-major {@code dstWidth × dstHeight} plane
   */
  public float[] resizePlane(
      float[] src, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    return resizePlanes(new float[][] {src}, srcWidth, srcHeight, dstWidth, dstHeight)[0];
  }

  /**
   * Resizes several planes of the same size (e.g. the channels of an image), sharing the weights.
   *
   * @return new row-major {@code dstWidth × dstHeight} planes, in the order given
   */
  public float[][] resizePlanes(
      float[][] planes, int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    Objects.requireNonNull(planes, "planes");
    checkSize("srcWidth", srcWidth);
    checkSize("srcHeight", srcHeight);
    checkSize("dstWidth", dstWidth);
    checkSize("dstHeight", dstHeight);
    long srcPixels = (long) srcWidth * srcHeight;
    for (int p = 0; p < planes.length; p++) {
      Objects.requireNonNull(planes[p], "planes[" + p + "]");
      if (planes[p].length != srcPixels) {
        throw new IllegalArgumentException(
            "planes["
                + p
                + "]: expected "
                + srcPixels
                + " samples ("
                + srcWidth
                + "×"
                + srcHeight
                + "), got "
                + planes[p].length);
      }
    }
    Weights horizontal = weights(srcWidth, dstWidth);
    Weights vertical = weights(srcHeight, dstHeight);
    float[][] out = new float[planes.length][];
    float[] tmp = new float[srcHeight * dstWidth];
    for (int p = 0; p < planes.length; p++) {
      float[] src = planes[p];
      // rows: srcHeight × srcWidth -> srcHeight × dstWidth
      for (int y = 0; y < srcHeight; y++) {
        int row = y * srcWidth;
        for (int x = 0; x < dstWidth; x++) {
          int[] idx = horizontal.index[x];
          double[] w = horizontal.weight[x];
          double acc = 0;
          for (int k = 0; k < idx.length; k++) {
            acc += w[k] * src[row + idx[k]];
          }
          tmp[y * dstWidth + x] = (float) acc;
        }
      }
      // columns: srcHeight × dstWidth -> dstHeight × dstWidth
      float[] dst = new float[dstHeight * dstWidth];
      for (int y = 0; y < dstHeight; y++) {
        int[] idx = vertical.index[y];
        double[] w = vertical.weight[y];
        for (int x = 0; x < dstWidth; x++) {
          double acc = 0;
          for (int k = 0; k < idx.length; k++) {
            acc += w[k] * tmp[idx[k] * dstWidth + x];
          }
          dst[y * dstWidth + x] = (float) acc;
        }
      }
      out[p] = dst;
    }
    return out;
  }

  /** The Lanczos-3 kernel L(x) = sinc(x)·sinc(x/3) on (−3, 3), 0 elsewhere. */
  static double kernel(double x) {
    double ax = Math.abs(x);
    if (ax >= LOBES) {
      return 0.0;
    }
    if (ax < 1e-12) {
      return 1.0;
    }
    double px = Math.PI * x;
    return LOBES * Math.sin(px) * Math.sin(px / LOBES) / (px * px);
  }

  /** Normalised contributions of input pixels to each output pixel along one axis. */
  private static final class Weights {
    final int[][] index;
    final double[][] weight;

    Weights(int n) {
      index = new int[n][];
      weight = new double[n][];
    }
  }

  private static Weights weights(int in, int out) {
    double scale = (double) in / out;
    double filterScale = Math.max(scale, 1.0);
    double support = LOBES * filterScale;
    Weights result = new Weights(out);
    double[] acc = new double[in];
    for (int i = 0; i < out; i++) {
      double center = (i + 0.5) * scale;
      int first = (int) Math.floor(center - support - 0.5);
      int last = (int) Math.ceil(center + support - 0.5);
      int lo = Integer.MAX_VALUE;
      int hi = Integer.MIN_VALUE;
      double total = 0;
      for (int j = first; j <= last; j++) {
        double w = kernel((j + 0.5 - center) / filterScale);
        if (w == 0.0) {
          continue;
        }
        int c = Math.min(Math.max(j, 0), in - 1); // edge clamping
        acc[c] += w;
        total += w;
        lo = Math.min(lo, c);
        hi = Math.max(hi, c);
      }
      int n = hi - lo + 1;
      int[] idx = new int[n];
      double[] ws = new double[n];
      for (int k = 0; k < n; k++) {
        idx[k] = lo + k;
        ws[k] = acc[lo + k] / total;
        acc[lo + k] = 0;
      }
      result.index[i] = idx;
      result.weight[i] = ws;
    }
    return result;
  }

  private static int toByte(float v) {
    long r = Math.round((double) v);
    return (int) Math.max(0, Math.min(255, r));
  }

  private static void checkSize(String what, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException(what + ": must be positive, got " + size);
    }
  }
}
