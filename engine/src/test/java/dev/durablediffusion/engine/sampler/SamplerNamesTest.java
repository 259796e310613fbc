package dev.durablediffusion.engine.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.model.GenerationLimits;
import org.junit.jupiter.api.Test;

class SamplerNamesTest {

  @Test
  void requestValidationKnowsExactlyTheSamplersTheEngineHas() {
    assertThat(GenerationLimits.SAMPLERS).containsExactlyInAnyOrderElementsOf(Samplers.names());
  }
}
