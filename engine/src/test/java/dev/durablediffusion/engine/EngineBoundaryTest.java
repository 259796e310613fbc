package dev.durablediffusion.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine is kept apart from orchestration by its module: neither Temporal, Spring nor the
 * storage port is on its classpath, so no engine class can reach them.
 */
class EngineBoundaryTest {

  @ParameterizedTest(name = "{0} is not on the engine's classpath")
  @ValueSource(
      strings = {
        "io.temporal.workflow.Workflow",
        "io.temporal.activity.Activity",
        "org.springframework.context.ApplicationContext",
        "dev.durablediffusion.storage.ObjectStore",
        "dev.durablediffusion.workflows.generation.GenerationWorkflow"
      })
  void theEngineDoesNotSee(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }
}
