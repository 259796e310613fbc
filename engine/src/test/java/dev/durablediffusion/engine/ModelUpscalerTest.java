package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ModelUpscalerTest {

  @Test
  void upscalesByItsDeclaredScaleAndKeepsTheColors() {
    try (ModelUpscaler upscaler =
        ModelUpscaler.load(TinyShapes.bundle(TinyShapes.UPSCALER), Device.cpu())) {
      BufferedImage image = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(new Color(40, 70, 220));
      g.fillRect(0, 0, 48, 40);
      g.setColor(new Color(240, 220, 40));
      g.fillOval(10, 8, 24, 24);
      g.dispose();

      BufferedImage larger = upscaler.upscale(image);

      assertThat(upscaler.scale()).isEqualTo(4);
      assertThat(larger.getWidth()).isEqualTo(192);
      assertThat(larger.getHeight()).isEqualTo(160);
      assertThat(new Color(larger.getRGB(4, 4)))
          .satisfies(c -> assertThat(c.getBlue()).isGreaterThan(180));
      assertThat(new Color(larger.getRGB(88, 80)))
          .satisfies(c -> assertThat(c.getRed()).isGreaterThan(200));
    }
  }
}
