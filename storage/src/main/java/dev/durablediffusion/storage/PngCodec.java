package dev.durablediffusion.storage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Images travel through storage as PNG. */
public final class PngCodec {

  public static final String CONTENT_TYPE = "image/png";

  private PngCodec() {}

  public static byte[] encode(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    }
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a readable image
   */
  public static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null) {
        throw new IllegalArgumentException("not a PNG, JPEG or other readable image");
      }
      return image;
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable image: " + e.getMessage(), e);
    }
  }
}
