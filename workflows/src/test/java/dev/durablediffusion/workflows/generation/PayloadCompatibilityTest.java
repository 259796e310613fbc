package dev.durablediffusion.workflows.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.ModelCatalog;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payloads of other builds read through the data converter workers and clients use: histories and
 * queries written before {@code eta} and {@code negativePromptTruncated} existed, and, during a
 * rolling update, payloads a newer build gave fields this one does not know (Temporal's converter
 * refuses unknown fields unless the record ignores them, failing the task on every retry).
 */
class PayloadCompatibilityTest {

  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static GenerationRequest request;
  private static GenerationPlan plan;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        PayloadCompatibilityTest.class.getResourceAsStream("/tiny-shapes-manifest.json")) {
      ModelCatalog catalog =
          new ModelCatalog(
              List.of(BundleManifests.parse(in.readAllBytes(), "test")), "tiny-shapes");
      request =
          GenerationRequest.builder("gen_1", "acme")
              .prompt("a red circle")
              .sampler("ddim")
              .eta(0.5)
              .submittedAtMillis(0L)
              .build();
      plan = RequestValidation.plan(request, catalog, 7, null);
    }
  }

  @Test
  void aRequestWithoutEtaReadsAsNoEta() throws Exception {
    assertThat(previousBuild(request, "eta").eta()).isNull();
  }

  @Test
  void aPlanWithoutEtaReadsAsEtaZero() throws Exception {
    assertThat(previousBuild(plan, "eta").eta()).isZero();
  }

  @Test
  void resultsInputsAndStatusesWithoutNegativePromptTruncationReadAsNotTruncated()
      throws Exception {
    DenoiseResult denoised = new DenoiseResult(List.of(), true, true, 10, "gpu-host-a", null);
    StoreInput stored =
        new StoreInput(
            plan, List.of(), "sha256:model", true, true, Map.of(), List.of("gpu-host-a"), null);
    GenerationStatus status = succeeded(true, List.of("gpu-host-a"), null);

    assertThat(previousBuild(denoised, "negativePromptTruncated").negativePromptTruncated())
        .isFalse();
    assertThat(previousBuild(stored, "negativePromptTruncated").negativePromptTruncated())
        .isFalse();
    assertThat(previousBuild(status, "negativePromptTruncated").negativePromptTruncated())
        .isFalse();
  }

  @Test
  void aDenoiseResultAndAStatusFromBeforeResumingReadAsRunningEveryStep() throws Exception {
    DenoiseResult denoised = new DenoiseResult(List.of(), false, false, 10, "gpu-host-a", 12);
    GenerationStatus status = succeeded(false, List.of("gpu-host-a", "gpu-host-b"), 12);

    assertThat(previousBuild(denoised, "resumedFromStep").resumedFromStep()).isNull();
    assertThat(previousBuild(status, "resumedFromStep").resumedFromStep()).isNull();
    assertThat(previousBuild(status, "gpuHosts").gpuHosts()).isNull();
  }

  @Test
  void anActivityResultWithFieldsOfANewerBuildAtEveryLevelReads() throws Exception {
    DenoiseResult result =
        new DenoiseResult(
            List.of(new ImageRef("work/a/gen_1/image-0.png", 64, 64, 7L, "ab12")),
            true,
            false,
            10,
            "gpu-host-a",
            12);

    assertThat(newerBuild(result)).isEqualTo(result);
  }

  @Test
  void aPlanAndAProgressSignalWithFieldsOfANewerBuildRead() throws Exception {
    Progress progress = new Progress(3, 20, 300, 1700, "work/a/gen_1/preview.png");

    assertThat(newerBuild(plan))
        .usingRecursiveComparison()
        .ignoringFields("metadata") // a map: the added field is one more entry there
        .isEqualTo(plan);
    assertThat(newerBuild(progress)).isEqualTo(progress);
  }

  private GenerationStatus succeeded(
      boolean truncated, List<String> gpuHosts, Integer resumedFromStep) {
    return new GenerationStatus(
        "gen_1",
        "acme",
        GenerationState.SUCCEEDED,
        null,
        plan,
        List.of(),
        null,
        Map.of(),
        truncated,
        truncated,
        "sha256:model",
        gpuHosts.get(gpuHosts.size() - 1),
        gpuHosts,
        resumedFromStep,
        1L,
        2L,
        3L);
  }

  /** The value as the previous build wrote it: its payload without the field added since. */
  private static <T> T previousBuild(T value, String addedField) throws JsonProcessingException {
    return rewritten(value, json -> assertThat(((ObjectNode) json).remove(addedField)).isNotNull());
  }

  /** The value as a newer build would write it: one more field in every JSON object. */
  private static <T> T newerBuild(T value) throws JsonProcessingException {
    return rewritten(value, PayloadCompatibilityTest::addFieldEverywhere);
  }

  private static void addFieldEverywhere(JsonNode node) {
    node.forEach(PayloadCompatibilityTest::addFieldEverywhere);
    if (node instanceof ObjectNode object) {
      object.put("addedByANewerBuild", true);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T rewritten(T value, Consumer<JsonNode> edit) throws JsonProcessingException {
    Payload payload = CONVERTER.toPayload(value).orElseThrow();
    JsonNode json = JSON.readTree(payload.getData().toStringUtf8());
    edit.accept(json);
    Payload other =
        payload.toBuilder().setData(ByteString.copyFromUtf8(JSON.writeValueAsString(json))).build();
    Class<T> type = (Class<T>) value.getClass();
    return CONVERTER.fromPayload(other, type, type);
  }
}
