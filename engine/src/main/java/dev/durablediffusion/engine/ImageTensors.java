package dev.durablediffusion.engine;

import java.awt.image.BufferedImage;

/** Converts between images and CHW float planes in [-1, 1]. */
public final class ImageTensors {

  private ImageTensors() {}

  /** Reads image {@code index} of a [B, 3, H, W] batch. */
  public static BufferedImage toImage(float[] batch, int index, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int plane = width * height;
    int base = index * 3 * plane;
    int[] rgb = new int[plane];
    for (int p = 0; p < plane; p++) {
      int r = toByte(batch[base + p]);
      int g = toByte(batch[base + plane + p]);
      int b = toByte(batch[base + 2 * plane + p]);
      rgb[p] = (r << 16) | (g << 8) | b;
    }
    image.setRGB(0, 0, width, height, rgb, 0, width);
    return image;
  }

  /** The image as a [3, H, W] plane in [-1, 1]. */
  public static float[] toPlanes(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int plane = width * height;
    int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
    float[] out = new float[3 * plane];
    for (int p = 0; p < plane; p++) {
      out[p] = fromByte((rgb[p] >> 16) & 0xff);
      out[plane + p] = fromByte((rgb[p] >> 8) & 0xff);
      out[2 * plane + p] = fromByte(rgb[p] & 0xff);
    }
    return out;
  }

  private static int toByte(float v) {
    float unit = (v + 1f) * 0.5f;
    return Math.round(Math.max(0f, Math.min(1f, unit)) * 255f);
  }

  private static float fromByte(int v) {
    return v / 127.5f - 1f;
  }
}
