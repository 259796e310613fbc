package dev.durablediffusion.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.GenerationLimits;
import dev.durablediffusion.model.ModelCatalog;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: what a client may ask for, with each model's sizes and defaults. */
@RestController
public class ModelsController {

  private final ModelCatalog catalog;

  public ModelsController(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  @GetMapping("/v1/models")
  public Map<String, Object> models() {
    return Map.of(
        "default_model", catalog.defaultModel(),
        "models", catalog.all().stream().map(ModelsController::describe).toList());
  }

  private static ModelView describe(BundleManifest m) {
    if (m.isUpscaler()) {
      return new ModelView(m.name(), m.version(), m.kind(), null, null, null, m.upscale().scale());
    }
    List<String> sizes =
        m.image().allowedSizes().stream().map(s -> s.get(0) + "x" + s.get(1)).toList();
    return new ModelView(
        m.name(),
        m.version(),
        m.kind(),
        sizes,
        new Defaults(
            m.image().defaultWidth(),
            m.image().defaultHeight(),
            m.defaults().steps(),
            m.defaults().guidanceScale(),
            m.defaults().sampler()),
        GenerationLimits.SAMPLERS.stream().sorted().toList(),
        null);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelView(
      String name,
      String version,
      String kind,
      List<String> sizes,
      Defaults defaults,
      List<String> samplers,
      Integer upscaleFactor) {}

  record Defaults(int width, int height, int steps, double guidanceScale, String sampler) {}
}
