package dev.durablediffusion.engine.sampler;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds samplers by the names used in requests and manifests' {@code defaults.sampler}. */
public final class Samplers {

  /** {@link DdimSampler}. */
  public static final String DDIM = "ddim";

  /** {@link EulerSampler}. */
  public static final String EULER = "euler";

  /** {@link EulerAncestralSampler}. */
  public static final String EULER_A = "euler_a";

  /** {@link DpmSolverMultistepSampler}. */
  public static final String DPMPP_2M_KARRAS = "dpmpp_2m_karras";

  private static final Set<String> NAMES =
      Collections.unmodifiableSet(new LinkedHashSet<>(List.of(DDIM, EULER, EULER_A, DPMPP_2M_KARRAS)));

  private Samplers() {}

  /** The known sampler names, in a stable order. */
  public static Set<String> names() {
    return NAMES;
  }

  /**
   * A new sampler (call {@link Sampler#setTimesteps} before use).
   *
   * @param name one of {@link #names()}
   * @param cfg the model's training schedule
   * @param eta DDIM's η in [0, 1]; ignored by the other samplers
   * @throws IllegalArgumentException naming {@code sampler} for an unknown name (listing the known
   *     ones), or naming {@code eta} for an invalid η with {@code ddim}
   */
  public static Sampler create(String name, SchedulerConfig cfg, double eta) {
    if (name != null) {
      switch (name) {
        case DDIM:
          return new DdimSampler(cfg, eta);
        case EULER:
          return new EulerSampler(cfg);
        case EULER_A:
          return new EulerAncestralSampler(cfg);
        case DPMPP_2M_KARRAS:
          return new DpmSolverMultistepSampler(cfg);
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "sampler: unknown value '" + name + "' (known: " + String.join(", ", NAMES) + ")");
  }

  /** {@link #create(String, SchedulerConfig, double)} with η = 0. */
  public static Sampler create(String name, SchedulerConfig cfg) {
    return create(name, cfg, 0.0);
  }
}
