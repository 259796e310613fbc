package dev.durablediffusion.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.GenerationLimits;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.storage.hosts.WarmHost;
import dev.durablediffusion.storage.hosts.WarmHosts;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models}: what a client may ask for, with each model's sizes and defaults, and the
 * GPU workers where it is warm.
 */
@RestController
public class ModelsController {

  private final ModelCatalog catalog;
  private final WarmHosts warmHosts;
  private final Clock clock;

  public ModelsController(ModelCatalog catalog, WarmHosts warmHosts, Clock clock) {
    this.catalog = catalog;
    this.warmHosts = warmHosts;
    this.clock = clock;
  }

  @GetMapping("/v1/models")
  public Map<String, Object> models() {
    List<WarmHost> hosts = warmHosts.current(clock.millis());
    return Map.of(
        "default_model", catalog.defaultModel(),
        "models", catalog.all().stream().map(m -> describe(m, warmOn(m.name(), hosts))).toList());
  }

  private static List<WarmOn> warmOn(String model, List<WarmHost> hosts) {
    return hosts.stream()
        .filter(host -> host.models().contains(model))
        .map(host -> new WarmOn(host.worker(), host.device()))
        .toList();
  }

  private static ModelView describe(BundleManifest m, List<WarmOn> warmOn) {
    if (m.isUpscaler()) {
      return new ModelView(
          m.name(), m.version(), m.kind(), null, null, null, m.upscale().scale(), warmOn);
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
        null,
        warmOn);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelView(
      String name,
      String version,
      String kind,
      List<String> sizes,
      Defaults defaults,
      List<String> samplers,
      Integer upscaleFactor,
      List<WarmOn> warmOn) {}

  /** A GPU worker that holds the model in memory now: a request for it skips the load. */
  record WarmOn(String worker, String device) {}

  record Defaults(int width, int height, int steps, double guidanceScale, String sampler) {}
}
