package dev.durablediffusion.api.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.storage.index.IndexEntry;
import dev.durablediffusion.workflows.generation.GenerationState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationListingTest {

  @TempDir Path root;
  private UseCaseFixture fixture;
  private GenerationListing listing;

  @BeforeEach
  void setUp() {
    fixture = new UseCaseFixture(root);
    listing = new GenerationListing(fixture.index, fixture.lookup);
  }

  private void started(String tenant, String id, long submittedAt) {
    fixture.index.recordStarted(
        tenant,
        new IndexEntry(
            id,
            GenerationState.QUEUED,
            submittedAt,
            "interactive",
            null,
            "a red circle",
            null,
            Map.of(),
            null,
            null));
    fixture.workflows.put(GenerationStatuses.of(tenant, id, GenerationState.DENOISING));
  }

  @Test
  void everyWrongParameterIsNamedAtOnce() {
    assertThatThrownBy(() -> listing.list("acme", 0, null, "sleeping"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("limit", "status"));
    assertThatThrownBy(() -> listing.list("acme", GenerationListing.MAX_PAGE + 1, null, null))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aCursorThatIsNotOneOfOursIsNamed() {
    assertThatThrownBy(() -> listing.list("acme", 10, "not-a-cursor", null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("cursor"));
  }

  @Test
  void runningEntriesAreReadLiveNewestFirstAndOnlyTheTenantsOwn() {
    started("acme", "gen_old", 1_000);
    started("acme", "gen_new", 2_000);
    started("globex", "gen_theirs", 3_000);

    GenerationSummary.Page page = listing.list("acme", 10, null, null);

    assertThat(page.data()).extracting(GenerationSummary::id).containsExactly("gen_new", "gen_old");
    assertThat(page.data()).extracting(GenerationSummary::status).containsOnly("denoising");
  }

  @Test
  void anEntryWhoseWorkflowHasEndedIsSettledInTheIndex() {
    started("acme", "gen_1", 1_000);
    fixture.workflows.put(UseCaseFixture.succeeded("acme", "gen_1", 1));

    assertThat(listing.list("acme", 10, null, "succeeded").data())
        .singleElement()
        .satisfies(s -> assertThat(s.outputs()).hasSize(1));
    assertThat(fixture.index.page("acme", null, 10).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(GenerationState.SUCCEEDED));
  }

  @Test
  void whenTheWorkflowCannotAnswerTheIndexViewIsListed() {
    started("acme", "gen_1", 1_000);
    fixture.workflows.reachable = false;

    assertThat(listing.list("acme", 10, null, null).data())
        .extracting(GenerationSummary::status)
        .containsExactly("queued");
  }
}
