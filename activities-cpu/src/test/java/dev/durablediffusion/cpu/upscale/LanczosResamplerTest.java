package dev.durablediffusion.cpu.upscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link LanczosResampler} against {@code lanczos-reference.json} (written by {@code
 * tools/lanczos_reference.py}, an independent numpy implementation) and against properties every
 * Lanczos-3 resampler must have.
 */
class LanczosResamplerTest {

  private final LanczosResampler resampler = new LanczosResampler();

  private static JsonNode reference() throws IOException {
    try (InputStream in =
        LanczosResamplerTest.class.getResourceAsStream("/lanczos-reference.json")) {
      assertThat(in).as("lanczos-reference.json on the test classpath").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void floatPlanesMatchTheReference() throws IOException {
    JsonNode ref = reference();
    int sw = ref.get("src_width").asInt();
    int sh = ref.get("src_height").asInt();
    float[][] src = new float[3][];
    for (int c = 0; c < 3; c++) {
      src[c] = floats(ref.get("src").get(c));
    }
    assertThat(ref.get("cases").size()).isGreaterThanOrEqualTo(2);
    for (JsonNode cs : ref.get("cases")) {
      int dw = cs.get("dst_width").asInt();
      int dh = cs.get("dst_height").asInt();
      float[][] out = resampler.resizePlanes(src, sw, sh, dw, dh);
      for (int c = 0; c < 3; c++) {
        JsonNode expected = cs.get("expected").get(c);
        assertThat(out[c]).hasSize(dw * dh);
        for (int k = 0; k < out[c].length; k++) {
          assertThat((double) out[c][k])
              .as("%dx%d channel %d sample %d", dw, dh, c, k)
              .isCloseTo(expected.get(k).asDouble(), within(1e-3));
        }
        // the single-plane entry point agrees
        assertThat(resampler.resizePlane(src[c], sw, sh, dw, dh)).containsExactly(out[c]);
      }
    }
  }

  @Test
  void bufferedImagesMatchTheReference() throws IOException {
    JsonNode ref = reference();
    int sw = ref.get("src_width").asInt();
    int sh = ref.get("src_height").asInt();
    BufferedImage img = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
    for (int k = 0; k < sw * sh; k++) {
      int r = ref.get("src").get(0).get(k).asInt();
      int g = ref.get("src").get(1).get(k).asInt();
      int b = ref.get("src").get(2).get(k).asInt();
      img.setRGB(k % sw, k / sw, (r << 16) | (g << 8) | b);
    }
    for (JsonNode cs : ref.get("cases")) {
      int dw = cs.get("dst_width").asInt();
      int dh = cs.get("dst_height").asInt();
      BufferedImage out = resampler.resize(img, dw, dh);
      assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      assertThat(out.getWidth()).isEqualTo(dw);
      assertThat(out.getHeight()).isEqualTo(dh);
      for (int k = 0; k < dw * dh; k++) {
        int p = out.getRGB(k % dw, k / dw);
        int[] actual = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
        for (int c = 0; c < 3; c++) {
          int expected = cs.get("expected_rgb").get(c).get(k).asInt();
          double exact = cs.get("expected").get(c).get(k).asDouble();
          // a value within float noise of .5 may round either way
          boolean tie = Math.abs(exact - Math.floor(exact) - 0.5) < 1e-3;
          assertThat(actual[c])
              .as("%dx%d channel %d pixel %d (exact %f)", dw, dh, c, k, exact)
              .isCloseTo(expected, within(tie ? 1 : 0));
        }
      }
    }
  }

  @Test
  void constantImageStaysConstant() {
    float[] plane = new float[7 * 5];
    java.util.Arrays.fill(plane, 123.25f);
    int[][] sizes = {{7, 5}, {28, 20}, {3, 2}, {1, 1}, {50, 3}, {2, 17}};
    for (int[] s : sizes) {
      float[] out = resampler.resizePlane(plane, 7, 5, s[0], s[1]);
      for (float v : out) {
        assertThat((double) v).isCloseTo(123.25, within(1e-4));
      }
    }
    BufferedImage img = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        img.setRGB(x, y, 0x12ab7f);
      }
    }
    for (int[] s : sizes) {
      BufferedImage out = resampler.resize(img, s[0], s[1]);
      for (int y = 0; y < s[1]; y++) {
        for (int x = 0; x < s[0]; x++) {
          assertThat(out.getRGB(x, y) & 0xffffff).isEqualTo(0x12ab7f);
        }
      }
    }
  }

  @Test
  void identitySizeReturnsTheSamePixels() {
    Random r = new Random(3);
    BufferedImage img = new BufferedImage(11, 7, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 11; x++) {
        img.setRGB(x, y, 0xff000000 | r.nextInt(1 << 24));
      }
    }
    BufferedImage out = resampler.resize(img, 11, 7);
    assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 11; x++) {
        assertThat(out.getRGB(x, y) & 0xffffff).isEqualTo(img.getRGB(x, y) & 0xffffff);
      }
    }
  }

  @Test
  void fourTimesAStepEdgeHasLimitedRinging() {
    // 8×2, left half 50, right half 200, enlarged ×4 to 32×8
    float[] plane = new float[8 * 2];
    for (int k = 0; k < plane.length; k++) {
      plane[k] = (k % 8) < 4 ? 50f : 200f;
    }
    float[] out = resampler.resizePlane(plane, 8, 2, 32, 8);
    double height = 150;
    for (int y = 0; y < 8; y++) {
      double max = Double.NEGATIVE_INFINITY;
      double min = Double.POSITIVE_INFINITY;
      for (int x = 0; x < 32; x++) {
        double v = out[y * 32 + x];
        max = Math.max(max, v);
        min = Math.min(min, v);
        // beyond the kernel's reach (3 source pixels = 12 target pixels) the plateaus are exact
        if (x < 4) {
          assertThat(v).isCloseTo(50, within(1e-3));
        } else if (x >= 28) {
          assertThat(v).isCloseTo(200, within(1e-3));
        }
      }
      // Lanczos-3's overshoot on a step is ≈ 12 % of the step (computed: 217.63 / 32.37)
      assertThat(max).isLessThan(200 + 0.13 * height).isGreaterThan(200);
      assertThat(min).isGreaterThan(50 - 0.13 * height).isLessThan(50);
      // the rows are identical (the vertical pass sees a constant column)
      for (int x = 0; x < 32; x++) {
        assertThat((double) out[y * 32 + x]).isCloseTo(out[x], within(1e-4));
      }
    }
    // monotone through the edge itself
    for (int x = 13; x < 19; x++) {
      assertThat(out[x + 1]).isGreaterThan(out[x]);
    }
    // through the image API the result is clamped to 0..255
    BufferedImage img = new BufferedImage(8, 2, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 8; x++) {
        img.setRGB(x, y, x < 4 ? 0x000000 : 0xffffff);
      }
    }
    BufferedImage big = resampler.resize(img, 32, 8);
    assertThat(big.getRGB(0, 0) & 0xffffff).isEqualTo(0);
    assertThat(big.getRGB(31, 7) & 0xffffff).isEqualTo(0xffffff);
    assertThat(big.getRGB(12, 0) & 0xff).isZero(); // undershoot clamped
    assertThat(big.getRGB(19, 0) & 0xff).isEqualTo(255); // overshoot clamped
  }

  @Test
  void downscalingAveragesFineDetail() {
    // a 1-pixel checkerboard has no representation at a quarter of the size or so: it must come out
    // ≈ flat grey
    float[] plane = new float[16 * 16];
    for (int k = 0; k < plane.length; k++) {
      plane[k] = ((k % 16) + (k / 16)) % 2 == 0 ? 0f : 255f;
    }
    // (reference: within 127.5 ± 3.3 for 5×5 and ± 5 for 7×7; without widening the kernel it
    // would alias to a pattern of much stronger contrast)
    for (int size : new int[] {4, 5, 7}) {
      float[] out = resampler.resizePlane(plane, 16, 16, size, size);
      for (float v : out) {
        assertThat((double) v).as("%dx%d", size, size).isCloseTo(127.5, within(6.0));
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> resampler.resizePlane(new float[6], 2, 2, 4, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> resampler.resizePlane(new float[4], 2, 2, 0, 4))
        .isInstanceOf(IllegalArgumentException.class);
    BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    assertThatThrownBy(() -> resampler.resize(img, 4, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kernelIsLanczos3() {
    assertThat(LanczosResampler.kernel(0)).isEqualTo(1.0);
    assertThat(LanczosResampler.kernel(1)).isCloseTo(0.0, within(1e-15));
    assertThat(LanczosResampler.kernel(3)).isZero();
    assertThat(LanczosResampler.kernel(-3.5)).isZero();
    // sinc(0.5)·sinc(1/6) = (2/π)·(3/π)
    assertThat(LanczosResampler.kernel(0.5)).isCloseTo(6 / (Math.PI * Math.PI), within(1e-12));
    assertThat(LanczosResampler.kernel(-1.3)).isEqualTo(LanczosResampler.kernel(1.3));
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) array.get(k).asDouble();
    }
    return out;
  }
}
