package dev.durablediffusion.engine.sampler;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The training noise schedule of a model, as given by the {@code scheduler} section of a bundle
 * manifest (the field names are those of diffusers' scheduler configs).
 *
 * <p>Only the {@code linear} and {@code scaled_linear} beta schedules and the {@code epsilon} and
 * {@code v_prediction} prediction types are supported. The schedule is computed in double precision
 * (diffusers computes it in float32; the difference is below 1e-5 relative).
 *
 * <p>A record cannot hold derived state, so {@link #betas()} and {@link #alphasCumprod()} compute
 * fresh arrays on each call (O(num_train_timesteps)); samplers call them once, when they are built.
 *
 * @param numTrainTimesteps {@code num_train_timesteps}, the length T of the training schedule (≥ 2)
 * @param betaStart {@code beta_start}, β of timestep 0, in (0, 1)
 * @param betaEnd {@code beta_end}, β of timestep T-1, in (0, 1)
 * @param betaSchedule {@code beta_schedule}
 * @param predictionType {@code prediction_type}, what the UNet predicts
 * @param stepsOffset {@code steps_offset}, added to "leading" timesteps (≥ 0)
 * @param timestepSpacing {@code timestep_spacing}; null: each sampler's diffusers default (DDIM
 *     "leading", Euler ancestral "linspace"); DPM-Solver++ with Karras sigmas has no use for it
 * @param setAlphaToOne {@code set_alpha_to_one}: DDIM's last step goes to ᾱ = 1 rather than ᾱ₀
 * @param clipSample {@code clip_sample}: DDIM clips its x₀ prediction to ±{@code clipSampleRange}
 * @param clipSampleRange {@code clip_sample_range} (> 0)
 */
public record SchedulerConfig(
    int numTrainTimesteps,
    double betaStart,
    double betaEnd,
    BetaSchedule betaSchedule,
    PredictionType predictionType,
    int stepsOffset,
    TimestepSpacing timestepSpacing,
    boolean setAlphaToOne,
    boolean clipSample,
    double clipSampleRange) {

  /** Settings diffusers' configs may carry that change nothing in this engine's samplers. */
  private static final Set<String> WITHOUT_EFFECT =
      Set.of(
          "_class_name",
          "_diffusers_version",
          "_use_default_values",
          "skip_prk_steps",
          "flow_shift",
          "sample_max_value",
          "dynamic_thresholding_ratio",
          "use_karras_sigmas",
          "solver_order",
          "algorithm_type",
          "solver_type",
          "lower_order_final",
          "euler_at_final",
          "variance_type",
          "lambda_min_clipped");

  /** Settings honoured only at the value that means "off"; any other is refused at load. */
  private static final Map<String, Object> ONLY_OFF =
      Map.of(
          "thresholding", false,
          "rescale_betas_zero_snr", false,
          "use_lu_lambdas", false,
          "use_exponential_sigmas", false,
          "use_beta_sigmas", false,
          "use_flow_sigmas", false,
          "final_sigmas_type", "zero",
          "timestep_type", "discrete",
          "interpolation_type", "linear");

  /** Settings read by {@link #fromMap}; {@code trained_betas} and the sigma bounds only as null. */
  private static final Set<String> HONOURED =
      Set.of(
          "num_train_timesteps",
          "beta_start",
          "beta_end",
          "beta_schedule",
          "prediction_type",
          "steps_offset",
          "timestep_spacing",
          "set_alpha_to_one",
          "clip_sample",
          "clip_sample_range",
          "trained_betas",
          "sigma_min",
          "sigma_max");

  /** Where the timesteps of a run sit in the training schedule (diffusers' names). */
  public enum TimestepSpacing {
    /** Every (T / steps)-th timestep from 0, plus {@code steps_offset}. */
    LEADING("leading"),
    /** Every (T / steps)-th timestep counted down from T − 1. */
    TRAILING("trailing"),
    /** {@code steps} timesteps spread evenly over [0, T − 1]. */
    LINSPACE("linspace");

    private final String configName;

    TimestepSpacing(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    /**
     * @throws IllegalArgumentException naming {@code timestep_spacing} for an unknown value
     */
    public static TimestepSpacing fromConfig(String value) {
      return parse(values(), TimestepSpacing::configName, "timestep_spacing", value);
    }
  }

  /** A schedule with the samplers' default spacing, no clipping and ᾱ₀ at the end. */
  public SchedulerConfig(
      int numTrainTimesteps,
      double betaStart,
      double betaEnd,
      BetaSchedule betaSchedule,
      PredictionType predictionType,
      int stepsOffset) {
    this(
        numTrainTimesteps,
        betaStart,
        betaEnd,
        betaSchedule,
        predictionType,
        stepsOffset,
        null,
        false,
        false,
        1.0);
  }

  /** How β grows from {@code beta_start} to {@code beta_end} over the training timesteps. */
  public enum BetaSchedule {
    /** β linear in t. */
    LINEAR("linear"),
    /** √β linear in t (Stable Diffusion's schedule). */
    SCALED_LINEAR("scaled_linear");

    private final String configName;

    BetaSchedule(String configName) {
      this.configName = configName;
    }

    /** The value as written in a manifest. */
    public String configName() {
      return configName;
    }

    /**
     * Parses a manifest value.
     *
     * @throws IllegalArgumentException naming {@code beta_schedule} for an unknown value
     */
    public static BetaSchedule fromConfig(String value) {
      return parse(values(), BetaSchedule::configName, "beta_schedule", value);
    }
  }

  /** What the denoising model predicts. */
  public enum PredictionType {
    /** The added noise ε. */
    EPSILON("epsilon"),
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀. */
    V_PREDICTION("v_prediction");

    private final String configName;

    PredictionType(String configName) {
      this.configName = configName;
    }

    /** The value as written in a manifest. */
    public String configName() {
      return configName;
    }

    /**
     * Parses a manifest value.
     *
     * @throws IllegalArgumentException naming {@code prediction_type} for an unknown value
     */
    public static PredictionType fromConfig(String value) {
      return parse(values(), PredictionType::configName, "prediction_type", value);
    }
  }

  /** Validates the fields; each message names the offending manifest field. */
  public SchedulerConfig {
    if (numTrainTimesteps < 2) {
      throw new IllegalArgumentException(
          "scheduler.num_train_timesteps: must be at least 2, got " + numTrainTimesteps);
    }
    if (!(betaStart > 0 && betaStart < 1)) {
      throw new IllegalArgumentException(
          "scheduler.beta_start: must be in (0, 1), got " + betaStart);
    }
    if (!(betaEnd > 0 && betaEnd < 1)) {
      throw new IllegalArgumentException("scheduler.beta_end: must be in (0, 1), got " + betaEnd);
    }
    if (betaSchedule == null) {
      throw new IllegalArgumentException("scheduler.beta_schedule: missing");
    }
    if (predictionType == null) {
      throw new IllegalArgumentException("scheduler.prediction_type: missing");
    }
    if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
      throw new IllegalArgumentException(
          "scheduler.steps_offset: must be in [0, num_train_timesteps), got " + stepsOffset);
    }
    if (!(clipSampleRange > 0)) {
      throw new IllegalArgumentException(
          "scheduler.clip_sample_range: must be positive, got " + clipSampleRange);
    }
  }

  /** The spacing a sampler uses: the configured one, or {@code samplerDefault}. */
  public TimestepSpacing spacingOr(TimestepSpacing samplerDefault) {
    return timestepSpacing != null ? timestepSpacing : samplerDefault;
  }

  /**
   * Builds a config from manifest values given as strings.
   *
   * @throws IllegalArgumentException naming the field for an invalid or unknown value
   */
  public static SchedulerConfig of(
      int numTrainTimesteps,
      double betaStart,
      double betaEnd,
      String betaSchedule,
      String predictionType,
      int stepsOffset) {
    return new SchedulerConfig(
        numTrainTimesteps,
        betaStart,
        betaEnd,
        BetaSchedule.fromConfig(betaSchedule),
        PredictionType.fromConfig(predictionType),
        stepsOffset);
  }

  /**
   * Stable Diffusion 1.x's schedule: 1000 steps, scaled_linear 0.00085..0.012, epsilon, offset 1.
   */
  public static SchedulerConfig stableDiffusion() {
    return new SchedulerConfig(
        1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, PredictionType.EPSILON, 1);
  }

  /**
   * Builds a config from a manifest's {@code scheduler} object, which holds a diffusers scheduler
   * config (as parsed JSON: numbers as any {@link Number}, enums as strings). Absent fields take
   * diffusers' defaults ({@code num_train_timesteps} 1000, {@code beta_start} 0.0001, {@code
   * beta_end} 0.02, {@code beta_schedule} linear, {@code prediction_type} epsilon, {@code
   * steps_offset} 0, the sampler's own spacing), except that {@code set_alpha_to_one} and {@code
   * clip_sample} are off when absent, as in every Stable Diffusion config. Every other key is one
   * that changes nothing here, one accepted only at its "off" value, or refused: a config is never
   * loaded with a schedule other than the one it describes.
   *
   * @throws IllegalArgumentException naming the field for a wrongly typed, invalid, unsupported or
   *     unknown value
   */
  public static SchedulerConfig fromMap(Map<String, ?> scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    for (Map.Entry<String, ?> entry : scheduler.entrySet()) {
      String key = entry.getKey();
      Object value = entry.getValue();
      if (ONLY_OFF.containsKey(key) && value != null && !ONLY_OFF.get(key).equals(value)) {
        throw new IllegalArgumentException(
            "scheduler." + key + ": only " + ONLY_OFF.get(key) + " is supported, got " + value);
      }
      if (!HONOURED.contains(key) && !WITHOUT_EFFECT.contains(key) && !ONLY_OFF.containsKey(key)) {
        throw new IllegalArgumentException(
            "scheduler." + key + ": not a scheduler setting this engine supports");
      }
    }
    for (String key : List.of("trained_betas", "sigma_min", "sigma_max")) {
      if (scheduler.get(key) != null) {
        throw new IllegalArgumentException("scheduler." + key + ": only null is supported");
      }
    }
    String spacing = stringField(scheduler, "timestep_spacing", null);
    return new SchedulerConfig(
        intField(scheduler, "num_train_timesteps", 1000),
        doubleField(scheduler, "beta_start", 0.0001),
        doubleField(scheduler, "beta_end", 0.02),
        BetaSchedule.fromConfig(stringField(scheduler, "beta_schedule", "linear")),
        PredictionType.fromConfig(stringField(scheduler, "prediction_type", "epsilon")),
        intField(scheduler, "steps_offset", 0),
        spacing == null ? null : TimestepSpacing.fromConfig(spacing),
        booleanField(scheduler, "set_alpha_to_one"),
        booleanField(scheduler, "clip_sample"),
        doubleField(scheduler, "clip_sample_range", 1.0));
  }

  /** β₀ … β_{T−1}. */
  public double[] betas() {
    int n = numTrainTimesteps;
    double[] betas = new double[n];
    for (int t = 0; t < n; t++) {
      double f = (double) t / (n - 1);
      if (betaSchedule == BetaSchedule.LINEAR) {
        betas[t] = betaStart + f * (betaEnd - betaStart);
      } else {
        double r = Math.sqrt(betaStart) + f * (Math.sqrt(betaEnd) - Math.sqrt(betaStart));
        betas[t] = r * r;
      }
    }
    return betas;
  }

  /** ᾱ_t = ∏_{s ≤ t} (1 − β_s) for t = 0 … T−1. */
  public double[] alphasCumprod() {
    double[] betas = betas();
    double[] out = new double[betas.length];
    double acc = 1.0;
    for (int t = 0; t < betas.length; t++) {
      acc *= 1.0 - betas[t];
      out[t] = acc;
    }
    return out;
  }

  private static Object field(Map<String, ?> map, String key) {
    return map.get(key);
  }

  private static int intField(Map<String, ?> map, String key, int dflt) {
    Object v = field(map, key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw new IllegalArgumentException(
        "scheduler." + key + ": expected an integer, got " + describe(v));
  }

  private static double doubleField(Map<String, ?> map, String key, double dflt) {
    Object v = field(map, key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(
        "scheduler." + key + ": expected a number, got " + describe(v));
  }

  private static String stringField(Map<String, ?> map, String key, String dflt) {
    Object v = field(map, key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        "scheduler." + key + ": expected a string, got " + describe(v));
  }

  /** The constant whose config name is {@code value}, or an error listing the supported ones. */
  private static <E> E parse(E[] constants, Function<E, String> name, String key, String value) {
    for (E constant : constants) {
      if (name.apply(constant).equals(value)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "scheduler."
            + key
            + ": unsupported value '"
            + value
            + "' (supported: "
            + String.join(", ", Arrays.stream(constants).map(name).toList())
            + ")");
  }

  private static boolean booleanField(Map<String, ?> map, String key) {
    Object v = field(map, key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException(
        "scheduler." + key + ": expected true or false, got " + describe(v));
  }

  private static String describe(Object v) {
    return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
  }
}
