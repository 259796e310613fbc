package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.model.FieldError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class InitImagesTest {

  @Test
  void readsAPng() throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(12, 7, BufferedImage.TYPE_INT_RGB), "png", png);

    BufferedImage image = InitImages.decode(png.toByteArray());

    assertThat(image.getWidth()).isEqualTo(12);
    assertThat(image.getHeight()).isEqualTo(7);
  }

  @Test
  void refusesBytesThatAreNoImage() {
    assertThatThrownBy(() -> InitImages.decode("not an image".getBytes()))
        .isInstanceOfSatisfying(
            InvalidGenerationException.class,
            e ->
                assertThat(e.errors()).extracting(FieldError::field).containsExactly("init_image"));
  }

  @Test
  void refusesATruncatedPng() throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB), "png", png);
    byte[] truncated = Arrays.copyOf(png.toByteArray(), 40);

    assertThatThrownBy(() -> InitImages.decode(truncated))
        .isInstanceOf(InvalidGenerationException.class)
        .hasMessageContaining("init_image");
  }
}
