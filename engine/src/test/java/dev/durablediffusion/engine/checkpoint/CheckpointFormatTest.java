package dev.durablediffusion.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.engine.sampler.ResumableRandom;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class CheckpointFormatTest {

  private static DenoiseCheckpoint checkpoint(double[] prediction) {
    return new DenoiseCheckpoint(
        "f".repeat(64),
        7,
        new float[] {1.5f, -0.0f, Float.MIN_VALUE, Float.NaN, 3e38f},
        new SamplerMemory(prediction == null ? -1 : 6, prediction),
        List.of(
            new ResumableRandom.State(123L, 0.25, true),
            new ResumableRandom.State((1L << 48) - 1, -0.0, false)));
  }

  @Test
  void everyFieldSurvivesBitForBit() {
    DenoiseCheckpoint written = checkpoint(new double[] {Math.PI, -1e-300, Double.NaN});

    DenoiseCheckpoint read = CheckpointFormat.read(CheckpointFormat.write(written));

    assertThat(read.fingerprint()).isEqualTo(written.fingerprint());
    assertThat(read.nextStep()).isEqualTo(7);
    assertThat(bits(read.latents())).isEqualTo(bits(written.latents()));
    assertThat(read.sampler().lastStep()).isEqualTo(6);
    assertThat(
            Arrays.stream(read.sampler().previousPrediction())
                .mapToLong(Double::doubleToRawLongBits)
                .toArray())
        .isEqualTo(
            Arrays.stream(written.sampler().previousPrediction())
                .mapToLong(Double::doubleToRawLongBits)
                .toArray());
    assertThat(read.noise()).isEqualTo(written.noise());
  }

  @Test
  void aSamplerWithoutMemoryReadsBackWithout() {
    DenoiseCheckpoint read = CheckpointFormat.read(CheckpointFormat.write(checkpoint(null)));

    assertThat(read.sampler()).isEqualTo(SamplerMemory.NONE);
  }

  @Test
  void aTruncatedFileIsRefused() {
    byte[] bytes = CheckpointFormat.write(checkpoint(null));

    assertThatThrownBy(() -> CheckpointFormat.read(Arrays.copyOf(bytes, bytes.length - 9)))
        .isInstanceOf(UnreadableCheckpointException.class);
    assertThatThrownBy(() -> CheckpointFormat.read(new byte[3]))
        .isInstanceOf(UnreadableCheckpointException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void aFlippedBitIsCaughtByTheChecksum() {
    byte[] bytes = CheckpointFormat.write(checkpoint(null));
    bytes[bytes.length / 2] ^= 0x10;

    assertThatThrownBy(() -> CheckpointFormat.read(bytes))
        .isInstanceOf(UnreadableCheckpointException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void aForeignFileOrAnotherFormatVersionIsRefused() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    byte[] nextVersion = CheckpointFormat.write(checkpoint(null));
    nextVersion[7] = 2;

    assertThatThrownBy(() -> CheckpointFormat.read(png))
        .isInstanceOf(UnreadableCheckpointException.class)
        .hasMessageContaining("not a denoise checkpoint");
    assertThatThrownBy(() -> CheckpointFormat.read(nextVersion))
        .isInstanceOf(UnreadableCheckpointException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void aLengthBeyondTheFileIsRefusedBeforeAnythingIsAllocated() {
    ByteBuffer body =
        ByteBuffer.allocate(16)
            .putInt(CheckpointFormat.MAGIC)
            .putInt(CheckpointFormat.VERSION)
            .putInt(Integer.MAX_VALUE)
            .putInt(0);
    CRC32C crc = new CRC32C();
    crc.update(body.array());
    byte[] hostile = ByteBuffer.allocate(20).put(body.array()).putInt((int) crc.getValue()).array();

    assertThatThrownBy(() -> CheckpointFormat.read(hostile))
        .isInstanceOf(UnreadableCheckpointException.class)
        .hasMessageContaining("exceeds the file");
  }

  private static int[] bits(float[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Float.floatToRawIntBits(values[i]);
    }
    return out;
  }
}
