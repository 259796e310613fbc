package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.workflows.generation.GenerationSearchAttributes;
import io.temporal.common.SearchAttributes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedded default through its HTTP API: what a customer sees. */
class EmbeddedPlatformTest {

  private static final String KEY_A = "key-of-tenant-a";
  private static final String KEY_B = "key-of-tenant-b";
  private static final Duration WAIT = Duration.ofMinutes(2);

  @TempDir static Path data;
  private static TemporalServerProcess temporal;
  private static InProcessPlatform platform;
  private static ApiClient tenantA;
  private static ApiClient tenantB;

  @BeforeAll
  static void start() {
    temporal = new TemporalServerProcess();
    platform =
        new InProcessPlatform(temporal, data, Map.of("dd.api.keys", "a:" + KEY_A + ",b:" + KEY_B));
    tenantA = new ApiClient(platform.port(), KEY_A);
    tenantB = new ApiClient(platform.port(), KEY_B);
  }

  @AfterAll
  static void stop() {
    platform.close();
    temporal.close();
  }

  @Test
  void aPromptBecomesStoredImagesWithTheirProvenance() throws Exception {
    String id =
        tenantA.submit(
            """
            {"prompt": "a red circle on a blue background", "seed": 42, "num_images": 2,
             "negative_prompt": "dim, dark, red, blue, grey, black, white, pink, gold, tan"}""");

    JsonNode done = tenantA.awaitEnd(id, WAIT);

    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("prompt_truncated").asBoolean()).isFalse();
    assertThat(done.get("negative_prompt_truncated").asBoolean()).isTrue();
    assertThat(done.get("outputs")).hasSize(2);
    assertThat(done.get("outputs").get(1).get("seed").asLong()).isEqualTo(43);
    ApiClient.Response png = tenantA.get(done.get("outputs").get(0).get("url").asText());
    assertThat(png.status()).isEqualTo(200);
    assertThat(png.contentType()).isEqualTo("image/png");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
    assertThat(image.getWidth()).isEqualTo(64);
    Path outputs = data.resolve("outputs/a/" + id);
    try (Stream<Path> files = Files.list(outputs)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "image-0.png", "image-1.png", "provenance.json", "generation.json");
    }
    assertThat(Files.readString(outputs.resolve("provenance.json")))
        .contains(
            "\"prompt\" : \"a red circle on a blue background\"",
            "\"negative_prompt_truncated\" : true",
            "\"model_digest\"",
            "\"sha256\"");
    assertThat(data.resolve("work/" + id)).doesNotExist();
  }

  @Test
  void ddimWithEtaAddsFreshNoiseSoTheSameSeedGivesAnotherImage() throws Exception {
    String deterministic =
        tenantA.submit(
            """
            {"prompt": "a red circle on a blue background", "seed": 7, "steps": 8,
             "sampler": "ddim", "eta": 0}""");
    String stochastic =
        tenantA.submit(
            """
            {"prompt": "a red circle on a blue background", "seed": 7, "steps": 8,
             "sampler": "ddim", "eta": 1.0}""");

    JsonNode plain = tenantA.awaitEnd(deterministic, WAIT);
    JsonNode noisy = tenantA.awaitEnd(stochastic, WAIT);

    assertThat(plain.get("status").asText()).isEqualTo("succeeded");
    assertThat(noisy.get("status").asText()).isEqualTo("succeeded");
    assertThat(noisy.get("input").get("eta").asDouble()).isEqualTo(1.0);
    assertThat(plain.get("input").get("eta").asDouble()).isZero();
    assertThat(noisy.get("outputs").get(0).get("sha256").asText())
        .isNotEqualTo(plain.get("outputs").get(0).get("sha256").asText());
    assertThat(Files.readString(data.resolve("outputs/a/" + stochastic + "/provenance.json")))
        .contains("\"eta\" : 1.0");
  }

  @ParameterizedTest
  @CsvSource({"2, lanczos, 128", "4, tiny-upscaler-x4, 256"})
  void upscalesOnTheCpuWithLanczosOrOnTheGpuWithAnUpscalerModel(int factor, String method, int size)
      throws Exception {
    String id =
        tenantA.submit(
            """
            {"prompt": "a yellow square on a purple background", "steps": 8,
             "upscale": {"factor": %d, "method": "%s"}}"""
                .formatted(factor, method));

    JsonNode done = tenantA.awaitEnd(id, WAIT);

    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("timings_ms").has("upscaling")).isTrue();
    JsonNode output = done.get("outputs").get(0);
    assertThat(output.get("width").asInt()).isEqualTo(size);
    BufferedImage image =
        ImageIO.read(new ByteArrayInputStream(tenantA.get(output.get("url").asText()).body()));
    assertThat(image.getWidth()).isEqualTo(size);
    assertThat(image.getHeight()).isEqualTo(size);
  }

  @Test
  void aBatchGenerationRunsOnTheOneGpuWorkerToo() throws Exception {
    String id =
        tenantA.submit(
            """
            {"prompt": "a green square on a red background", "steps": 4, "priority": "batch"}""");

    JsonNode done = tenantA.awaitEnd(id, WAIT);

    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("outputs")).hasSize(1);
    assertThat(
            temporal
                .client()
                .newUntypedWorkflowStub(id)
                .describe()
                .getTypedSearchAttributes()
                .get(GenerationSearchAttributes.PRIORITY))
        .isEqualTo("batch");
  }

  @Test
  void aGenerationCarriesItsTenantModelAndJobClassAsSearchAttributes() {
    String id =
        tenantB.submit(
            """
            {"prompt": "a blue triangle on a white background", "steps": 4}""");

    SearchAttributes attributes =
        temporal.client().newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();

    assertThat(attributes.get(GenerationSearchAttributes.TENANT)).isEqualTo("b");
    assertThat(attributes.get(GenerationSearchAttributes.MODEL)).isEqualTo("tiny-shapes");
    assertThat(attributes.get(GenerationSearchAttributes.PRIORITY)).isEqualTo("interactive");
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameGeneration() {
    String body =
        """
        {"prompt": "a green square on a white background", "steps": 4}""";
    ApiClient.Response first = tenantA.post("/v1/generations", body, "order-17");
    ApiClient.Response again = tenantA.post("/v1/generations", body, "order-17");
    ApiClient.Response otherTenant = tenantB.post("/v1/generations", body, "order-17");

    assertThat(first.status()).isEqualTo(202);
    assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(otherTenant.json().get("id")).isNotEqualTo(first.json().get("id"));
  }

  @Test
  void anotherTenantsGenerationLooksExactlyLikeAnUnknownOne() throws Exception {
    String id =
        tenantA.submit(
            """
            {"prompt": "a blue triangle on a yellow background", "steps": 4}""");
    tenantA.awaitEnd(id, WAIT);

    ApiClient.Response foreign = tenantB.get("/v1/generations/" + id);
    ApiClient.Response unknown = tenantB.get("/v1/generations/gen_doesnotexist");

    assertThat(foreign.status()).isEqualTo(404);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(foreign.contentType())
        .isEqualTo(unknown.contentType())
        .startsWith("application/problem+json");
    assertThat(tenantB.get("/v1/generations/" + id + "/images/0").status()).isEqualTo(404);
    assertThat(tenantB.post("/v1/generations/" + id + "/cancel", "", null).status()).isEqualTo(404);
  }

  @Test
  void cancelingStopsTheDenoiseDeletesTheWorkAndEndsCanceled() throws Exception {
    String id =
        tenantA.submit(
            """
            {"prompt": "a purple circle on an orange background", "steps": 150, "num_images": 4}""");
    tenantA.awaitStep(id, 3, WAIT);

    ApiClient.Response cancel = tenantA.post("/v1/generations/" + id + "/cancel", "", null);
    JsonNode done = tenantA.awaitEnd(id, WAIT);

    assertThat(cancel.status()).isEqualTo(202);
    assertThat(done.get("status").asText()).isEqualTo("canceled");
    assertThat(done.get("progress").get("step").asInt()).isLessThan(150);
    assertThat(done.get("outputs")).isEmpty();
    assertThat(data.resolve("work/" + id)).doesNotExist();
    try (Stream<Path> files = Files.list(data.resolve("outputs/a/" + id))) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("generation.json");
    }
  }

  @Test
  void everyStageAndTheModelCacheAreMeasured() throws Exception {
    String id =
        tenantA.submit(
            """
            {"prompt": "a red square on a green background", "steps": 6}""");
    tenantA.awaitEnd(id, WAIT);

    String metrics =
        Metrics.scrapeOnceItShows(
            platform.port(), "dd_generations_finished_total", Duration.ofSeconds(30));

    assertThat(metrics)
        .contains(
            "dd_activity_execution_seconds_count{activity=\"Validate\"",
            "dd_activity_execution_seconds_count{activity=\"PrepareModel\"",
            "dd_activity_execution_seconds_count{activity=\"Denoise\"",
            "dd_activity_execution_seconds_count{activity=\"StoreImages\"",
            "dd_activity_execution_seconds_count{activity=\"CloseOut\"",
            "dd_activity_queue_wait_seconds_count{task_queue=\"gpu-host\"",
            "dd_denoise_step_seconds_count{model=\"tiny-shapes\"",
            "dd_model_prepare_seconds_count{model=\"tiny-shapes\"",
            "dd_images_generated_total{model=\"tiny-shapes\"",
            "dd_images_stored_total{model=\"tiny-shapes\"",
            "dd_model_cache_hits_total",
            "dd_model_cache_misses_total",
            "dd_model_memory_bytes",
            "dd_generations_finished_total",
            "temporal_activity_schedule_to_start_latency");
    assertThat(metricValue(metrics, "dd_model_memory_bytes")).isPositive();
  }

  private static double metricValue(String exposition, String name) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void listsTheModelsWithTheirSizesDefaultsSamplersAndWhereTheyAreWarm() throws Exception {
    JsonNode models = tenantA.get("/v1/models").json();
    for (int i = 0; i < 100 && warmWorkers(models, "tiny-shapes").isEmpty(); i++) {
      Thread.sleep(100);
      models = tenantA.get("/v1/models").json();
    }

    assertThat(models.get("default_model").asText()).isEqualTo("tiny-shapes");
    assertThat(models.get("models").findValuesAsText("name"))
        .contains("tiny-shapes", "tiny-upscaler-x4");
    JsonNode tiny =
        models.get("models").findParents("name").stream()
            .filter(m -> m.get("name").asText().equals("tiny-shapes"))
            .findFirst()
            .orElseThrow();
    assertThat(tiny.get("sizes").get(0).asText()).isEqualTo("64x64");
    assertThat(tiny.get("defaults").get("steps").asInt()).isEqualTo(20);
    assertThat(tiny.get("samplers"))
        .extracting(JsonNode::asText)
        .containsExactly("ddim", "dpmpp_2m_karras", "euler", "euler_a");
    assertThat(warmWorkers(models, "tiny-shapes"))
        .singleElement()
        .satisfies(worker -> assertThat(worker).startsWith("gpu-host-"));
    assertThat(tiny.get("warm_on").get(0).get("device").asText()).isEqualTo("cpu");
  }

  private static List<String> warmWorkers(JsonNode models, String model) {
    return models.get("models").findParents("name").stream()
        .filter(m -> m.get("name").asText().equals(model))
        .flatMap(m -> m.get("warm_on").findValuesAsText("worker").stream())
        .toList();
  }

  @Test
  void requestsWithoutAValidKeyAreRefused() {
    assertThat(new ApiClient(platform.port(), null).get("/v1/generations/x").status())
        .isEqualTo(401);
    assertThat(new ApiClient(platform.port(), "wrong").get("/v1/generations/x").status())
        .isEqualTo(401);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"prompt": "x", "steps": 0}                                  | steps
          {"prompt": "x", "steps": 151}                                | steps
          {"prompt": "x", "guidance_scale": 31}                        | guidance_scale
          {"prompt": "x", "width": 65}                                 | width
          {"prompt": "x", "num_images": 5}                             | num_images
          {"prompt": "x", "sampler": "plms"}                           | sampler
          {"prompt": "x", "model": "no-such-model"}                    | model
          {"prompt": ""}                                               | prompt
          {"prompt": "x", "seed": -1}                                  | seed
          {"prompt": "x", "upscale": {"factor": 8}}                    | upscale.factor
          {"prompt": "x", "upscale": {"factor": 2, "method": "x"}}     | upscale.method
          {"prompt": "x", "webhook": {"url": "ftp://example.com/h"}}   | webhook.url
          {"prompt": "x", "webhook": {"url": "https://e.com", "events": ["done"]}} | webhook.events
          {"prompt": "x", "priority": "urgent"}                        | priority
          {"prompt": "x", "colour": "red"}                             | colour
          {"prompt": "x", "metadata": {"not a key": "v"}}              | metadata
          {"prompt": "x", "strength": 0.5}                             | strength
          {"prompt": "x", "eta": 2}                                    | eta
          {"prompt": "x", "sampler": "euler_a", "eta": 0.5}            | eta
          {"prompt": "x", "steps": "many"}                             | steps
          {"prompt": "x"                                               | body
          """)
  void aBadRequestIsAProblemNamingTheFieldAndStartsNothing(String body, String field)
      throws Exception {
    String key = "bad-" + field + "-" + body.hashCode();

    ApiClient.Response response = tenantA.post("/v1/generations", body, key);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("errors").findValuesAsText("field")).contains(field);
    ApiClient.Response valid =
        tenantA.post(
            "/v1/generations",
            """
            {"prompt": "a white square on a black background", "steps": 2}""",
            key);
    assertThat(valid.status()).isEqualTo(202);
    assertThat(tenantA.awaitEnd(valid.json().get("id").asText(), WAIT).get("status").asText())
        .isEqualTo("succeeded");
  }
}
