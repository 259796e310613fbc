package dev.durablediffusion.engine.sampler;

/**
 * The generator of {@link java.util.Random} — the same 48-bit linear congruential sequence and the
 * same polar method for {@code nextGaussian}, as that class's specification gives them — with its
 * whole state readable and restorable, so that a denoise stopped after any step continues with
 * exactly the draws an uninterrupted run would have made. Seeds produce the same numbers as {@code
 * new Random(seed)}, which keeps every earlier image reproducible. Not thread-safe.
 */
public final class ResumableRandom {

  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long ADDEND = 0xBL;
  private static final long MASK = (1L << 48) - 1;
  private static final double DOUBLE_UNIT = 0x1.0p-53;

  /**
   * Everything the next draws depend on.
   *
   * @param seed the 48-bit generator state
   * @param nextNextGaussian the second value of the last polar pair, when {@code
   *     haveNextNextGaussian}
   */
  public record State(long seed, double nextNextGaussian, boolean haveNextNextGaussian) {

    public State {
      if ((seed & ~MASK) != 0) {
        throw new IllegalArgumentException("seed: more than 48 bits");
      }
    }
  }

  private long seed;
  private double nextNextGaussian;
  private boolean haveNextNextGaussian;

  public ResumableRandom(long seed) {
    this.seed = (seed ^ MULTIPLIER) & MASK;
  }

  public ResumableRandom(State state) {
    restore(state);
  }

  public State state() {
    return new State(seed, nextNextGaussian, haveNextNextGaussian);
  }

  public void restore(State state) {
    seed = state.seed();
    nextNextGaussian = state.nextNextGaussian();
    haveNextNextGaussian = state.haveNextNextGaussian();
  }

  public double nextGaussian() {
    if (haveNextNextGaussian) {
      haveNextNextGaussian = false;
      return nextNextGaussian;
    }
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * nextDouble() - 1;
      v2 = 2 * nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    double multiplier = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    nextNextGaussian = v2 * multiplier;
    haveNextNextGaussian = true;
    return v1 * multiplier;
  }

  private double nextDouble() {
    return (((long) next(26) << 27) + next(27)) * DOUBLE_UNIT;
  }

  private int next(int bits) {
    seed = (seed * MULTIPLIER + ADDEND) & MASK;
    return (int) (seed >>> (48 - bits));
  }
}
