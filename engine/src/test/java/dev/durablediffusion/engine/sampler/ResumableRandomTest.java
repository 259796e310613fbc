package dev.durablediffusion.engine.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumableRandomTest {

  @ParameterizedTest
  @ValueSource(longs = {0L, 1L, 42L, -7L, 4_294_967_295L, Long.MIN_VALUE, Long.MAX_VALUE})
  void drawsExactlyWhatJavaUtilRandomDrawsForTheSameSeed(long seed) {
    Random reference = new Random(seed);
    ResumableRandom ours = new ResumableRandom(seed);

    for (int i = 0; i < 200_000; i++) {
      assertThat(Double.doubleToRawLongBits(ours.nextGaussian()))
          .as("draw %d", i)
          .isEqualTo(Double.doubleToRawLongBits(reference.nextGaussian()));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 1001})
  void aRestoredStateContinuesTheSequenceWhereverItWasTaken(int drawsBefore) {
    ResumableRandom uninterrupted = new ResumableRandom(99L);
    for (int i = 0; i < drawsBefore; i++) {
      uninterrupted.nextGaussian();
    }
    ResumableRandom resumed = new ResumableRandom(uninterrupted.state());

    for (int i = 0; i < 1000; i++) {
      assertThat(resumed.nextGaussian()).isEqualTo(uninterrupted.nextGaussian());
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {-1L, 1L << 48})
  void aStateBeyondFortyEightBitsIsRefused(long seed) {
    assertThatThrownBy(() -> new ResumableRandom.State(seed, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("48 bits");
  }
}
