package dev.durablediffusion.workflows.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * During a rolling update this build's workers and clients read payloads that a newer build wrote
 * with fields they do not know. Temporal's converter refuses unknown fields unless the record
 * ignores them, which would fail the task on every retry until the old workers are gone.
 */
class NewerBuildPayloadsTest {

  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anActivityResultWithUnknownFieldsAtEveryLevelReads() throws IOException {
    DenoiseResult result =
        new DenoiseResult(
            List.of(new ImageRef("work/a/gen_1/image-0.png", 64, 64, 7L, "ab12")),
            true,
            false,
            10,
            "gpu-host-a");

    assertThat(newerBuild(result, DenoiseResult.class)).isEqualTo(result);
  }

  @Test
  void aProgressSignalWithAnUnknownFieldReads() throws IOException {
    Progress progress = new Progress(3, 20, 300, 1700, "work/a/gen_1/preview.png");

    assertThat(newerBuild(progress, Progress.class)).isEqualTo(progress);
  }

  /** The payload as a newer build would write it: one more field in every JSON object. */
  private static <T> T newerBuild(T value, Class<T> type) throws IOException {
    Payload payload = CONVERTER.toPayload(value).orElseThrow();
    JsonNode json = JSON.readTree(payload.getData().toByteArray());
    addFieldEverywhere(json);
    Payload newer =
        payload.toBuilder().setData(ByteString.copyFrom(JSON.writeValueAsBytes(json))).build();
    return CONVERTER.fromPayload(newer, type, type);
  }

  private static void addFieldEverywhere(JsonNode node) {
    node.forEach(NewerBuildPayloadsTest::addFieldEverywhere);
    if (node instanceof ObjectNode object) {
      object.put("addedByANewerBuild", true);
    }
  }
}
