package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationLookupTest {

  @TempDir Path root;
  private UseCaseFixture fixture;
  private GenerationLookup lookup;

  @BeforeEach
  void setUp() {
    fixture = new UseCaseFixture(root);
    lookup = fixture.lookup;
  }

  @Test
  void anEndedGenerationIsReadFromStorageWithoutAskingItsWorkflow() {
    fixture.recordEnded(UseCaseFixture.succeeded("acme", "gen_1", 2));

    assertThat(lookup.status("acme", "gen_1").state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(lookup.status("acme", "gen_1").outputs()).hasSize(2);
    assertThat(fixture.workflows.queried).isEmpty();
  }

  @Test
  void aRunningGenerationIsAskedOfItsWorkflow() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.DENOISING));

    assertThat(lookup.status("acme", "gen_1").state()).isEqualTo(GenerationState.DENOISING);
    assertThat(fixture.workflows.queried).containsExactly("gen_1");
  }

  @Test
  void anotherTenantsGenerationAnswersLikeAnUnknownOne() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.DENOISING));
    fixture.recordEnded(UseCaseFixture.succeeded("acme", "gen_2", 1));

    assertThatThrownBy(() -> lookup.status("globex", "gen_1"))
        .isInstanceOf(GenerationNotFoundException.class);
    assertThatThrownBy(() -> lookup.status("globex", "gen_2"))
        .isInstanceOf(GenerationNotFoundException.class);
    assertThatThrownBy(() -> lookup.liveStatus("globex", "gen_1"))
        .isInstanceOf(GenerationNotFoundException.class);
    assertThatThrownBy(() -> lookup.status("acme", "gen_unknown"))
        .isInstanceOf(GenerationNotFoundException.class);
  }

  @Test
  void aLiveReadAsksTheWorkflowFirstAndStorageOnceTheWorkflowIsGone() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.STORING));
    fixture.recordEnded(UseCaseFixture.succeeded("acme", "gen_1", 1));

    assertThat(lookup.liveStatus("acme", "gen_1").state()).isEqualTo(GenerationState.STORING);
    fixture.workflows.statuses.clear();
    assertThat(lookup.liveStatus("acme", "gen_1").state()).isEqualTo(GenerationState.SUCCEEDED);
  }

  @Test
  void theResourceCarriesTheAttemptsOfEachDeliveryThatHasStarted() {
    DeliveryAttempt delivered = new DeliveryAttempt(1, 5_000, 204, null, null, true, false);
    fixture.workflows.put(
        GenerationStatuses.of(
            "acme",
            "gen_1",
            GenerationState.DENOISING,
            fixture.plan("acme", "gen_1", List.of("started", "completed")),
            null,
            List.of(),
            3));
    fixture.workflows.deliveries.put("gen_1/started", List.of(delivered));

    GenerationResource resource = lookup.resource("acme", "gen_1");

    assertThat(resource.webhookAttempts()).containsOnlyKeys("started");
    assertThat(resource.webhookAttempts().get("started")).containsExactly(delivered);
  }

  @Test
  void awaitingTheEndIsEmptyWhileItRunsAndTheEndedGenerationOnceItHasEnded() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.DENOISING));

    assertThat(lookup.awaitEnd("acme", "gen_1", Duration.ofMillis(10))).isEmpty();

    fixture.workflows.put(UseCaseFixture.succeeded("acme", "gen_1", 1));
    assertThat(lookup.awaitEnd("acme", "gen_1", Duration.ofMillis(10)))
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo("succeeded"));
  }

  @Test
  void anUnreachableServerIsNotTakenForAnUnknownGeneration() {
    fixture.workflows.put(GenerationStatuses.of("acme", "gen_1", GenerationState.DENOISING));
    fixture.workflows.reachable = false;

    assertThatThrownBy(() -> lookup.status("acme", "gen_1"))
        .isInstanceOf(TemporalUnavailableException.class);
  }
}
