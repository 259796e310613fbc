package dev.durablediffusion.engine.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the samplers with {@code sampler-reference.json}, written by {@code
 * tools/sampler_reference.py} (an independent float64 implementation of the published formulas).
 */
class SamplerReferenceTest {

  private static final double REL_TOL = 1e-5;

  private static JsonNode reference() throws IOException {
    try (InputStream in =
        SamplerReferenceTest.class.getResourceAsStream("/sampler-reference.json")) {
      assertThat(in).as("sampler-reference.json on the test classpath").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @TestFactory
  Stream<DynamicTest> matchesReferenceVectors() throws IOException {
    JsonNode cases = reference().get("cases");
    assertThat(cases.size()).isGreaterThanOrEqualTo(24);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      String label =
          c.get("sampler").asText()
              + " "
              + c.get("config").asText()
              + " steps="
              + c.get("steps").asInt()
              + " eta="
              + c.get("eta").asDouble();
      tests.add(DynamicTest.dynamicTest(label, () -> checkCase(c, label)));
    }
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  private static Sampler newSampler(JsonNode c) {
    Map<String, Object> scheduler = new ObjectMapper().convertValue(c.get("scheduler"), Map.class);
    SchedulerConfig cfg = SchedulerConfig.fromMap(scheduler);
    Sampler s = Samplers.create(c.get("sampler").asText(), cfg, c.get("eta").asDouble());
    s.setTimesteps(c.get("steps").asInt());
    return s;
  }

  private static void checkCase(JsonNode c, String label) {
    Sampler s = newSampler(c);
    assertThat(s.name()).isEqualTo(c.get("sampler").asText());
    assertClose(label + " timesteps", s.timesteps(), doubles(c.get("timesteps")));
    assertClose(
        label + " init_noise_sigma",
        new float[] {s.initNoiseSigma()},
        new double[] {c.get("init_noise_sigma").asDouble()});
    if (c.has("sigmas")) {
      float[] sigmas;
      if (s instanceof EulerAncestralSampler e) {
        sigmas = e.sigmas();
      } else if (s instanceof DpmSolverMultistepSampler d) {
        sigmas = d.sigmas();
      } else {
        throw new AssertionError(label + ": unexpected sigmas for " + s.name());
      }
      assertClose(label + " sigmas", sigmas, doubles(c.get("sigmas")));
    }

    for (JsonNode seq : c.get("sequences")) {
      Sampler fresh = newSampler(c); // each sequence starts a new run
      float[] sample = floats(seq.get(0).get("sample"));
      for (JsonNode st : seq) {
        int i = st.get("index").asInt();
        String where = label + " step " + i;
        // the chained sample (DPM) is our own previous output; it must match the stored one
        assertClose(where + " sample", sample, doubles(st.get("sample")));
        assertClose(
            where + " scaled input",
            fresh.scaleModelInput(sample, i),
            doubles(st.get("scaled_input")));
        NoiseSource noise =
            st.get("noise").isNull()
                ? target -> fail(where + ": drew noise in a deterministic step")
                : fixedNoise(floats(st.get("noise")));
        float[] out = fresh.step(floats(st.get("model_output")), i, sample, noise);
        assertClose(where + " output", out, doubles(st.get("output")));
        sample = out;
      }
    }

    for (JsonNode an : c.get("add_noise")) {
      int i = an.get("index").asInt();
      float[] out = s.addNoise(floats(an.get("original")), floats(an.get("noise")), i);
      assertClose(label + " add_noise " + i, out, doubles(an.get("output")));
    }
  }

  private static NoiseSource fixedNoise(float[] values) {
    return target -> {
      assertThat(target).hasSameSizeAs(values);
      System.arraycopy(values, 0, target, 0, values.length);
    };
  }

  /** |actual − expected| ≤ 1e-5 · max(|expected|, 1) for every element. */
  static void assertClose(String what, float[] actual, double[] expected) {
    assertThat(actual).as(what + " length").hasSize(expected.length);
    for (int k = 0; k < expected.length; k++) {
      double tol = REL_TOL * Math.max(Math.abs(expected[k]), 1.0);
      if (!(Math.abs(actual[k] - expected[k]) <= tol)) {
        fail(
            what
                + "["
                + k
                + "]: expected "
                + expected[k]
                + " but was "
                + actual[k]
                + " (tolerance "
                + tol
                + ")");
      }
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = array.get(k).asDouble();
    }
    return out;
  }

  private static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int k = 0; k < out.length; k++) {
      double d = array.get(k).asDouble();
      out[k] = (float) d;
      assertThat((double) out[k]).as("reference inputs are float32 values").isEqualTo(d);
    }
    return out;
  }
}
