package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code latents-2x4x16x16.npy} was written by {@code np.save} (NumPy 2.2.6) from float32. */
class NpyArrayTest {

  static byte[] shipped() throws IOException {
    try (InputStream in = NpyArrayTest.class.getResourceAsStream("/latents-2x4x16x16.npy")) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsWhatNumpySaved() throws IOException {
    NpyArray array = NpyArray.read(shipped());

    assertThat(array.shape()).containsExactly(2, 4, 16, 16);
    assertThat(array.values()).hasSize(2048);
    assertThat(array.values()[0]).isEqualTo(0.001230153371579945f);
    assertThat(array.values()[1]).isEqualTo(0.2987455427646637f);
    assertThat(array.values()[2]).isEqualTo(-0.27413785457611084f);
    double sum = 0;
    for (float v : array.values()) {
      sum += v;
    }
    assertThat(sum).isCloseTo(-85.59546697171754, within(1e-9));
  }

  @Test
  void anythingButLittleEndianFloatsInCOrderIsRefusedWithTheReason() throws IOException {
    byte[] file = shipped();

    assertThatThrownBy(() -> NpyArray.read("PNG".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("not a .npy file");
    assertThatThrownBy(() -> NpyArray.read(Arrays.copyOf(file, file.length - 4)))
        .hasMessageContaining("needs 8192 bytes of data, found 8188");
    assertThatThrownBy(() -> NpyArray.read(replaced(file, "'<f4'", "'<i4'")))
        .hasMessageContaining("dtype <i4 is not supported");
    assertThatThrownBy(() -> NpyArray.read(replaced(file, "False", "True ")))
        .hasMessageContaining("Fortran order");
  }

  private static byte[] replaced(byte[] file, String from, String to) {
    String text = new String(file, StandardCharsets.ISO_8859_1).replace(from, to);
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
