package dev.durablediffusion.gpu.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointIntervalTest {

  @Test
  void aWholeNumberCountsStepsAndATimeCountsTime() {
    CheckpointInterval steps = CheckpointInterval.valueOf("5");
    CheckpointInterval time = CheckpointInterval.valueOf("1500ms");

    assertThat(steps.due(9, 5, Long.MAX_VALUE)).isFalse();
    assertThat(steps.due(10, 5, 0)).isTrue();
    assertThat(time.time()).isEqualTo(Duration.ofMillis(1500));
    assertThat(time.due(6, 5, 1_499_999_999L)).isFalse();
    assertThat(time.due(6, 5, 1_500_000_000L)).isTrue();
  }

  @Test
  void offWritesNoPeriodicCheckpoint() {
    assertThat(CheckpointInterval.valueOf(" OFF ").due(1000, 0, Long.MAX_VALUE)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "soon", "5 steps", "0s", ""})
  void anythingElseIsRefusedWithWhatIsAccepted(String text) {
    assertThatThrownBy(() -> CheckpointInterval.valueOf(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
