package dev.durablediffusion.bench;

import dev.durablediffusion.engine.GenerationOutput;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The times of one generation, on either side of the comparison.
 *
 * @param totalMillis text encoding, denoise loop and VAE decode
 * @param samplingMillis the denoise loop alone
 * @param unetMillis inside the loop's UNet calls
 */
record LoopTimings(double totalMillis, double samplingMillis, double unetMillis) {

  static LoopTimings of(GenerationOutput output) {
    return new LoopTimings(output.totalMillis(), output.samplingMillis(), output.unetMillis());
  }

  /** The share of the loop spent outside UNet calls. */
  double outsideUnetShare() {
    return (samplingMillis - unetMillis) / samplingMillis;
  }

  /** One value per run, such as loop milliseconds per step. */
  static Distribution each(List<LoopTimings> runs, ToDoubleFunction<LoopTimings> value) {
    return new Distribution(runs.stream().map(value::applyAsDouble).toList());
  }

  /** The share outside UNet calls over all runs together. */
  static double pooledOutsideUnetShare(List<LoopTimings> runs) {
    double sampling = runs.stream().mapToDouble(LoopTimings::samplingMillis).sum();
    double unet = runs.stream().mapToDouble(LoopTimings::unetMillis).sum();
    return (sampling - unet) / sampling;
  }
}
