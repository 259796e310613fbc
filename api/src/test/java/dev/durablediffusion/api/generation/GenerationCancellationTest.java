package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.workflows.generation.GenerationState;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationCancellationTest {

  @TempDir Path root;
  private UseCaseFixture fixture;
  private GenerationCancellation cancellation;

  @BeforeEach
  void setUp() {
    fixture = new UseCaseFixture(root);
    cancellation = new GenerationCancellation(fixture.workflows, fixture.lookup);
  }

  @Test
  void aRunningGenerationIsAskedToCancel() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.DENOISING));

    assertThat(cancellation.cancel("acme", "gen_1").id()).isEqualTo("gen_1");
    assertThat(fixture.workflows.cancelRequests).containsExactly("gen_1");
  }

  @Test
  void anEndedGenerationIsNotAskedAndTheClientIsToldHowItEnded() {
    fixture.recordEnded(UseCaseFixture.succeeded("acme", "gen_1", 1));

    assertThatThrownBy(() -> cancellation.cancel("acme", "gen_1"))
        .isInstanceOf(GenerationFinishedException.class)
        .hasMessageContaining("succeeded");
    assertThat(fixture.workflows.cancelRequests).isEmpty();
  }

  @Test
  void anotherTenantCannotCancelIt() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.DENOISING));

    assertThatThrownBy(() -> cancellation.cancel("globex", "gen_1"))
        .isInstanceOf(GenerationNotFoundException.class);
    assertThat(fixture.workflows.cancelRequests).isEmpty();
  }
}
