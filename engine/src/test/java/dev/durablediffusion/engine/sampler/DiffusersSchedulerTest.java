package dev.durablediffusion.engine.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * The samplers against diffusers' own DDIMScheduler, EulerDiscreteScheduler and
 * EulerAncestralDiscreteScheduler on the same configs — every timestep spacing, steps_offset, set_alpha_to_one, clip_sample and both
 * prediction types — as recorded by {@code tools/scheduler_reference.py} in {@code
 * diffusers-schedulers.json} (diffusers 0.34.0, torch 2.7.1). diffusers computes the schedule in
 * float32, this engine in double, hence the tolerances.
 */
class DiffusersSchedulerTest {

  private static final double TIMESTEP_TOL = 1e-3;
  private static final double REL_TOL = 2e-5;

  @TestFactory
  Stream<DynamicTest> samplersComputeWhatDiffusersComputesFromTheSameConfig() throws IOException {
    JsonNode cases;
    try (InputStream in = getClass().getResourceAsStream("/diffusers-schedulers.json")) {
      assertThat(in).as("diffusers-schedulers.json on the test classpath").isNotNull();
      cases = new ObjectMapper().readTree(in).get("cases");
    }
    assertThat(cases.size()).isGreaterThanOrEqualTo(50);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      JsonNode scheduler = c.get("scheduler");
      String label =
          String.format(
              "%s %s %s steps=%d alpha_to_one=%s clip=%s",
              c.get("sampler").asText(),
              c.get("config").asText(),
              scheduler.get("timestep_spacing").asText(),
              c.get("steps").asInt(),
              scheduler.path("set_alpha_to_one").asText("-"),
              scheduler.path("clip_sample").asText("-"));
      tests.add(DynamicTest.dynamicTest(label, () -> check(c)));
    }
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  private static void check(JsonNode c) {
    SchedulerConfig config =
        SchedulerConfig.fromMap(new ObjectMapper().convertValue(c.get("scheduler"), Map.class));
    Sampler sampler = Samplers.create(c.get("sampler").asText(), config, 0.0);
    int steps = c.get("steps").asInt();
    sampler.setTimesteps(steps);

    float[] timesteps = sampler.timesteps();
    JsonNode expected = c.get("timesteps");
    assertThat(timesteps).hasSize(expected.size());
    for (int i = 0; i < timesteps.length; i++) {
      assertThat((double) timesteps[i])
          .as("timestep %d", i)
          .isCloseTo(expected.get(i).asDouble(), within(TIMESTEP_TOL));
    }
    assertClose("init_noise_sigma", sampler.initNoiseSigma(), c.get("init_noise_sigma").asDouble());
    if (sampler instanceof AbstractEulerSampler euler) {
      float[] sigmas = euler.sigmas();
      for (int i = 0; i < sigmas.length; i++) {
        assertClose("sigma " + i, sigmas[i], c.get("sigmas").get(i).asDouble());
      }
      float[] one = {1f};
      for (int i = 0; i < steps; i++) {
        assertClose(
            "input scale " + i,
            sampler.scaleModelInput(one, i)[0],
            c.get("input_scales").get(i).asDouble());
      }
    }
    if (c.has("samples")) {
      float[] sample = floats(c.get("sample"));
      for (int i = 0; i < steps; i++) {
        sample = sampler.step(floats(c.get("model_outputs").get(i)), i, sample, null);
        JsonNode want = c.get("samples").get(i);
        for (int k = 0; k < sample.length; k++) {
          assertClose("step " + i + " element " + k, sample[k], want.get(k).asDouble());
        }
      }
    }
  }

  private static void assertClose(String what, double actual, double expected) {
    assertThat(actual)
        .as(what)
        .isCloseTo(expected, within(REL_TOL * Math.max(1.0, Math.abs(expected))));
  }

  private static float[] floats(JsonNode values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) values.get(i).asDouble();
    }
    return out;
  }
}
