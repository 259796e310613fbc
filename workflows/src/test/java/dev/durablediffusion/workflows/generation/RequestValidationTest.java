package dev.durablediffusion.workflows.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.model.BundleManifests;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.ModelCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestValidationTest {

  private static final String EULER_BY_DEFAULT = "tiny-shapes-euler";
  private static final String UPSCALER = "tiny-upscaler-x4";
  private static ModelCatalog catalog;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in =
        RequestValidationTest.class.getResourceAsStream("/tiny-shapes-manifest.json")) {
      String tinyShapes = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      byte[] upscaler;
      try (InputStream upscalerIn =
          RequestValidationTest.class.getResourceAsStream("/tiny-upscaler-x4-manifest.json")) {
        upscaler = upscalerIn.readAllBytes();
      }
      String eulerByDefault =
          tinyShapes
              .replace("\"name\": \"tiny-shapes\"", "\"name\": \"" + EULER_BY_DEFAULT + "\"")
              .replace("\"sampler\": \"ddim\"", "\"sampler\": \"euler_a\"");
      catalog =
          new ModelCatalog(
              List.of(
                  BundleManifests.parse(tinyShapes.getBytes(StandardCharsets.UTF_8), "test"),
                  BundleManifests.parse(eulerByDefault.getBytes(StandardCharsets.UTF_8), "test"),
                  BundleManifests.parse(upscaler, "test")),
              "tiny-shapes");
    }
  }

  @Test
  void anUpscalerNamedAsTheModelIsRefusedWithWhereItBelongs() {
    assertThat(RequestValidation.check(request(UPSCALER, null, null, null), catalog))
        .containsExactly(
            new FieldError(
                "model",
                "'" + UPSCALER + "' is an upscaler; name it in upscale.method, not as the model"));
  }

  @Test
  void anUnknownModelIsNamed() {
    assertThat(RequestValidation.check(request("no-such-model", null, null, null), catalog))
        .containsExactly(new FieldError("model", "'no-such-model' is unknown"));
  }

  @Test
  void metadataWithinTheLimitsPassesAndReachesThePlan() {
    Map<String, String> metadata = new HashMap<>();
    for (int i = 0; i < RequestValidation.MAX_METADATA_ENTRIES; i++) {
      metadata.put("key-" + i, "v".repeat(RequestValidation.MAX_METADATA_VALUE));
    }

    GenerationRequest request = request(metadata);

    assertThat(RequestValidation.check(request, catalog)).isEmpty();
    assertThat(RequestValidation.plan(request, catalog, 1, null).metadata()).isEqualTo(metadata);
  }

  @Test
  void tooManyEntriesBadKeysAndLongValuesAreNamed() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= RequestValidation.MAX_METADATA_ENTRIES; i++) {
      many.put("k" + i, "v");
    }

    assertThat(fields(many)).containsExactly("metadata");
    assertThat(fields(Map.of("has space", "v", "has/slash", "v"))).containsExactly("metadata");
    assertThat(fields(Map.of("note", "v".repeat(RequestValidation.MAX_METADATA_VALUE + 1))))
        .containsExactly("metadata.note");
  }

  @Test
  void etaOutsideZeroToOneIsRefused() {
    assertThat(fields("ddim", 1.5)).containsExactly("eta");
    assertThat(fields("ddim", -0.1)).containsExactly("eta");
  }

  @Test
  void etaWithASamplerOtherThanDdimIsRefused() {
    assertThat(RequestValidation.check(request("euler_a", 0.5), catalog))
        .containsExactly(new FieldError("eta", "applies only to the ddim sampler"));
  }

  @Test
  void etaWithAModelWhoseDefaultSamplerIsNotDdimIsRefused() {
    assertThat(RequestValidation.check(request(EULER_BY_DEFAULT, null, 0.5, null), catalog))
        .containsExactly(new FieldError("eta", "applies only to the ddim sampler"));
    assertThat(RequestValidation.check(request(EULER_BY_DEFAULT, null, null, null), catalog))
        .isEmpty();
  }

  @Test
  void anEtaThatIsNotANumberIsRefused() {
    assertThat(fields("ddim", Double.NaN)).containsExactly("eta");
    assertThat(fields("ddim", Double.POSITIVE_INFINITY)).containsExactly("eta");
  }

  @Test
  void etaZeroPassesWithAnySampler() {
    assertThat(RequestValidation.check(request("dpmpp_2m_karras", 0.0), catalog)).isEmpty();
  }

  @Test
  void etaDefaultsToZeroInThePlan() {
    GenerationRequest request = request("ddim", null);

    assertThat(RequestValidation.check(request, catalog)).isEmpty();
    assertThat(RequestValidation.plan(request, catalog, 1, null).eta()).isZero();
  }

  @Test
  void aValidEtaReachesThePlanWithTheModelsDefaultDdimSampler() {
    GenerationRequest request = request(null, 0.7);

    assertThat(RequestValidation.check(request, catalog)).isEmpty();
    GenerationPlan plan = RequestValidation.plan(request, catalog, 1, null);
    assertThat(plan.sampler()).isEqualTo("ddim");
    assertThat(plan.eta()).isEqualTo(0.7);
  }

  private static List<String> fields(Map<String, String> metadata) {
    return RequestValidation.check(request(metadata), catalog).stream()
        .map(FieldError::field)
        .toList();
  }

  private static List<String> fields(String sampler, Double eta) {
    return RequestValidation.check(request(sampler, eta), catalog).stream()
        .map(FieldError::field)
        .toList();
  }

  private static GenerationRequest request(Map<String, String> metadata) {
    return request(null, null, null, metadata);
  }

  private static GenerationRequest request(String sampler, Double eta) {
    return request(null, sampler, eta, null);
  }

  private static GenerationRequest request(
      String model, String sampler, Double eta, Map<String, String> metadata) {
    return GenerationRequest.builder("gen_1", "acme")
        .prompt("a red circle")
        .model(model)
        .sampler(sampler)
        .eta(eta)
        .metadata(metadata)
        .submittedAtMillis(0L)
        .build();
  }
}
