package dev.durablediffusion.engine;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what a tiny-shapes image shows, the same way {@code tools/shapes_judge.py} does: the
 * background from the border's median color, the shape from how much of its bounding box it fills
 * (square 1.0, circle 0.785, triangle 0.5).
 */
final class ShapesJudge {

  static final Map<String, int[]> PALETTE = new LinkedHashMap<>();

  static {
    PALETTE.put("red", new int[] {230, 30, 30});
    PALETTE.put("green", new int[] {30, 170, 60});
    PALETTE.put("blue", new int[] {40, 70, 220});
    PALETTE.put("yellow", new int[] {240, 220, 40});
    PALETTE.put("purple", new int[] {140, 50, 180});
    PALETTE.put("orange", new int[] {250, 140, 20});
    PALETTE.put("white", new int[] {245, 245, 245});
    PALETTE.put("black", new int[] {15, 15, 15});
  }

  static final List<String> COLORS = List.copyOf(PALETTE.keySet());
  static final List<String> SHAPES = List.of("circle", "square", "triangle");

  record Verdict(String foreground, String background, String shape) {}

  private ShapesJudge() {}

  static Verdict judge(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[][] px = new float[w * h][];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = image.getRGB(x, y);
        px[y * w + x] = new float[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
      }
    }
    float[][] border = new float[2 * w + 2 * h][];
    int n = 0;
    for (int x = 0; x < w; x++) {
      border[n++] = px[x];
      border[n++] = px[(h - 1) * w + x];
    }
    for (int y = 0; y < h; y++) {
      border[n++] = px[y * w];
      border[n++] = px[y * w + w - 1];
    }
    float[] bg = median(border, n);
    float[][] rough = Arrays.stream(px).filter(p -> distance(p, bg) > 40).toArray(float[][]::new);
    if (rough.length < 8) {
      return new Verdict(null, nearest(bg), null);
    }
    float[] fg = median(rough, rough.length);
    float[] direction = {fg[0] - bg[0], fg[1] - bg[1], fg[2] - bg[2]};
    double norm = Math.max(dot(direction, direction), 1.0);
    double coverage = 0;
    int minX = w, maxX = -1, minY = h, maxY = -1;
    double[] maskSum = new double[3];
    int maskCount = 0;
    for (int i = 0; i < px.length; i++) {
      float[] p = px[i];
      double alpha =
          Math.max(
              0,
              Math.min(
                  1,
                  dot(new float[] {p[0] - bg[0], p[1] - bg[1], p[2] - bg[2]}, direction) / norm));
      coverage += alpha;
      if (alpha > 0.5) {
        int x = i % w;
        int y = i / w;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        for (int c = 0; c < 3; c++) {
          maskSum[c] += p[c];
        }
        maskCount++;
      }
    }
    if (maskCount == 0) {
      return new Verdict(null, nearest(bg), null);
    }
    double fill = coverage / ((double) (maxX - minX + 1) * (maxY - minY + 1));
    String shape = fill < 0.65 ? "triangle" : fill < 0.9 ? "circle" : "square";
    float[] mean = {
      (float) (maskSum[0] / maskCount),
      (float) (maskSum[1] / maskCount),
      (float) (maskSum[2] / maskCount)
    };
    return new Verdict(nearest(mean), nearest(bg), shape);
  }

  private static float[] median(float[][] pixels, int count) {
    float[] out = new float[3];
    for (int c = 0; c < 3; c++) {
      float[] channel = new float[count];
      for (int i = 0; i < count; i++) {
        channel[i] = pixels[i][c];
      }
      Arrays.sort(channel);
      out[c] =
          count % 2 == 1 ? channel[count / 2] : (channel[count / 2 - 1] + channel[count / 2]) / 2f;
    }
    return out;
  }

  private static String nearest(float[] rgb) {
    String best = null;
    double bestDistance = Double.MAX_VALUE;
    for (Map.Entry<String, int[]> e : PALETTE.entrySet()) {
      int[] c = e.getValue();
      double d =
          Math.pow(rgb[0] - c[0], 2) + Math.pow(rgb[1] - c[1], 2) + Math.pow(rgb[2] - c[2], 2);
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getKey();
      }
    }
    return best;
  }

  private static double distance(float[] a, float[] b) {
    return Math.sqrt(
        Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
  }

  private static double dot(float[] a, float[] b) {
    return a[0] * (double) b[0] + a[1] * (double) b[1] + a[2] * (double) b[2];
  }
}
