package dev.durablediffusion.gpu.checkpoint;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/**
 * How often a running denoise writes its checkpoint ({@code dd.gpu.checkpoint-interval}): a whole
 * number of steps ({@code 10}), a time ({@code 5s}, {@code 500ms}), or {@code off}. A drain always
 * writes one, whatever this says.
 */
public record CheckpointInterval(int steps, Duration time) {

  public static final CheckpointInterval OFF = new CheckpointInterval(0, null);

  public CheckpointInterval {
    if (steps < 0 || (steps > 0 && time != null)) {
      throw new IllegalArgumentException("a checkpoint interval is a number of steps or a time");
    }
    if (time != null && (time.isNegative() || time.isZero())) {
      throw new IllegalArgumentException("a checkpoint interval time must be positive");
    }
  }

  /** Parses the setting's text; Spring binds the property through this method. */
  public static CheckpointInterval valueOf(String text) {
    String value = text.strip();
    if (value.equalsIgnoreCase("off")) {
      return OFF;
    }
    if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
      int steps = Integer.parseInt(value);
      if (steps == 0) {
        throw new IllegalArgumentException("0 steps: write 'off' to write no checkpoints");
      }
      return new CheckpointInterval(steps, null);
    }
    try {
      return new CheckpointInterval(0, DurationStyle.SIMPLE.parse(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is neither a number of steps, a time such as 5s, nor off", e);
    }
  }

  /**
   * Whether a checkpoint is due after {@code step}, given the step and the time of the last one.
   */
  boolean due(int step, int lastStep, long nanosSinceLast) {
    if (time != null) {
      return nanosSinceLast >= time.toNanos();
    }
    return steps > 0 && step - lastStep >= steps;
  }

  @Override
  public String toString() {
    return time != null ? DurationStyle.SIMPLE.print(time) : steps > 0 ? steps + " steps" : "off";
  }
}
