package dev.durablediffusion.api.generation;

import static dev.durablediffusion.api.generation.UseCaseFixture.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.api.limits.AdmissionControl;
import dev.durablediffusion.api.limits.SubmissionRateLimiter;
import dev.durablediffusion.api.limits.TooManyRequestsException;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.StorageLayout;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationSubmissionTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(42_000), ZoneOffset.UTC);
  private static final String PROMPT = "{\"prompt\": \"a red circle\", \"steps\": 4}";

  @TempDir Path root;
  private UseCaseFixture fixture;
  private Function<String, List<FieldError>> webhookCheck = url -> List.of();

  @BeforeEach
  void setUp() {
    fixture = new UseCaseFixture(root);
  }

  private GenerationSubmission submission(int maxInFlight, int burst) {
    return new GenerationSubmission(
        fixture.workflows,
        fixture.catalog,
        fixture.store,
        fixture.index,
        url -> webhookCheck.apply(url),
        new SubmissionLimits(
            new AdmissionControl(() -> 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), () -> 0),
            new SubmissionRateLimiter(0.01, burst, System::nanoTime),
            fixture.index,
            maxInFlight),
        new SubmissionLog(SubmissionLog.Prompts.REDACTED),
        CLOCK);
  }

  private GenerationSubmission submission() {
    return submission(10, 10);
  }

  private static String withUpload(String json) {
    String png =
        Base64.getEncoder()
            .encodeToString(PngCodec.encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)));
    return json.replace("}", ", \"init_image\": {\"data\": \"" + png + "\"}}");
  }

  @Test
  void aSubmissionStartsTheBodyAsReceivedAndListsItQueuedForItsTenant() {
    String id = submission().submit("acme", body(PROMPT), null);

    GenerationRequest started = fixture.workflows.started.get(0);
    assertThat(started.generationId()).isEqualTo(id).startsWith("gen_");
    assertThat(started.tenantId()).isEqualTo("acme");
    assertThat(started.prompt()).isEqualTo("a red circle");
    assertThat(started.steps()).isEqualTo(4);
    assertThat(started.model()).as("defaults are the workflow's to fill").isNull();
    assertThat(started.submittedAtMillis()).isEqualTo(42_000);
    assertThat(fixture.index.page("acme", null, 10).entries())
        .singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo(GenerationState.QUEUED));
    assertThat(fixture.index.page("other", null, 10).entries()).isEmpty();
  }

  @Test
  void theSameIdempotencyKeyNamesTheSameGenerationAndStartsItOncePerTenant() {
    String first = submission().submit("acme", body(PROMPT), "order-1");
    String again = submission().submit("acme", body(PROMPT), "order-1");
    String otherTenant = submission().submit("globex", body(PROMPT), "order-1");

    assertThat(again).isEqualTo(first);
    assertThat(otherTenant).isNotEqualTo(first);
    assertThat(fixture.workflows.started).hasSize(2);
  }

  @Test
  void aKeyWhoseGenerationEndedAndIsGoneFromTheServerNeverRunsAgain() {
    String id = submission().submit("acme", body(PROMPT), "order-1");
    fixture.recordEnded(UseCaseFixture.succeeded("acme", id, 1));
    fixture.workflows.statuses.clear();

    assertThat(submission().submit("acme", body(PROMPT), "order-1")).isEqualTo(id);
    assertThat(fixture.workflows.started).hasSize(1);
  }

  @Test
  void anInvalidBodyStartsNothingAndNamesTheField() {
    assertThatThrownBy(
            () -> submission().submit("acme", body("{\"prompt\": \"x\", \"model\": \"nope\"}"), null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("model"));

    assertThat(fixture.workflows.started).isEmpty();
    assertThat(fixture.index.page("acme", null, 10).entries()).isEmpty();
  }

  @Test
  void aWebhookTargetTheGuardRefusesStartsNothing() {
    webhookCheck = url -> List.of(new FieldError("webhook.url", "resolves to a private address"));
    String json = "{\"prompt\": \"x\", \"webhook\": {\"url\": \"https://10.0.0.1/hook\"}}";

    assertThatThrownBy(() -> submission().submit("acme", body(json), null))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("webhook.url"));
    assertThat(fixture.workflows.started).isEmpty();
  }

  @Test
  void anUnreachableServerRefusesBeforeAnUploadIsStored() {
    fixture.workflows.reachable = false;
    String id = GenerationIds.of("acme", "order-1");

    assertThatThrownBy(() -> submission().submit("acme", body(withUpload(PROMPT)), "order-1"))
        .isInstanceOf(TemporalUnavailableException.class);
    assertThat(fixture.store.exists(ObjectRef.parse(StorageLayout.initImage(id)))).isFalse();
    assertThat(fixture.index.page("acme", null, 10).entries()).isEmpty();
  }

  @Test
  void aTenantAtItsInFlightLimitIsRefusedAndItsUploadIsNotStored() {
    submission(1, 10).submit("acme", body(PROMPT), null);
    String id = GenerationIds.of("acme", "order-2");

    assertThatThrownBy(() -> submission(1, 10).submit("acme", body(withUpload(PROMPT)), "order-2"))
        .isInstanceOfSatisfying(
            TooManyRequestsException.class,
            e -> assertThat(e.problemType()).isEqualTo("/problems/too-many-in-flight"));
    assertThat(fixture.store.exists(ObjectRef.parse(StorageLayout.initImage(id)))).isFalse();
    assertThat(fixture.store.list(StorageArea.WORK, "")).isEmpty();
    assertThat(fixture.workflows.started).hasSize(1);
  }

  @Test
  void anAdmittedUploadIsStoredInTheGenerationsWorkAreaBeforeItStarts() {
    String id = submission().submit("acme", body(withUpload(PROMPT)), "order-3");

    assertThat(fixture.workflows.started.get(0).initImageRef())
        .isEqualTo(StorageLayout.initImage(id));
    assertThat(fixture.store.exists(ObjectRef.parse(StorageLayout.initImage(id)))).isTrue();
  }

  @Test
  void aTenantOverItsRateIsToldWhenToRetryWhileAnotherIsAdmitted() {
    GenerationSubmission submission = submission(10, 1);
    submission.submit("acme", body(PROMPT), null);

    assertThatThrownBy(() -> submission.submit("acme", body(PROMPT), null))
        .isInstanceOfSatisfying(
            TooManyRequestsException.class,
            e -> {
              assertThat(e.problemType()).isEqualTo("/problems/rate-limited");
              assertThat(e.retryAfterSeconds()).isPositive();
            });
    assertThat(submission.submit("globex", body(PROMPT), null)).startsWith("gen_");
  }

  @Test
  void anIdempotencyKeyOutsidePrintableAsciiIsRefusedByName() {
    assertThatThrownBy(() -> submission().submit("acme", body(PROMPT), "order\u00e9"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("Idempotency-Key"));
    assertThatThrownBy(() -> submission().submit("acme", body(PROMPT), "k".repeat(256)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(fixture.workflows.started).isEmpty();
  }
}
