package dev.durablediffusion.engine;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Reads the init image of an img2img request; unreadable bytes are the request's fault. */
public final class InitImages {

  private InitImages() {}

  /**
   * @throws InvalidGenerationException naming {@code init_image} when the bytes are no image
   */
  public static BufferedImage decode(byte[] bytes) {
    try {
      BufferedImage image =
          bytes == null || bytes.length == 0 ? null : ImageIO.read(new ByteArrayInputStream(bytes));
      if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
        throw new InvalidGenerationException("init_image", "is not a readable PNG or JPEG image");
      }
      return image;
    } catch (IOException e) {
      throw new InvalidGenerationException("init_image", "is a broken image: " + e.getMessage());
    }
  }
}
