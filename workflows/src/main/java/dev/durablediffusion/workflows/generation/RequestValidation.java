package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.model.BundleManifest;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.GenerationLimits;
import dev.durablediffusion.model.ModelCatalog;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a request must pass before any work starts, shared by the API (which answers 400) and
 * the validation step (which fails the workflow). Checks that need the network, such as resolving a
 * webhook host, are done by the callers.
 */
public final class RequestValidation {

  public static final Set<String> EVENTS = Set.of("started", "completed", "failed", "canceled");
  public static final Set<String> PRIORITIES = Set.of("interactive", "batch");
  public static final int MAX_UPSCALE = 4;
  public static final int MAX_METADATA_ENTRIES = 16;
  public static final double DEFAULT_STRENGTH = 0.75;
  public static final int MAX_METADATA_VALUE = 512;
  private static final Pattern METADATA_KEYS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern IDS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private RequestValidation() {}

  public static List<FieldError> check(GenerationRequest request, ModelCatalog catalog) {
    List<FieldError> errors = new ArrayList<>();
    if (!isId(request.generationId())) {
      errors.add(new FieldError("id", "must be 1-128 letters, digits, '.', '_' or '-'"));
    }
    if (!isId(request.tenantId())) {
      errors.add(new FieldError("tenant", "must be 1-128 letters, digits, '.', '_' or '-'"));
    }
    String modelName = request.model() == null ? catalog.defaultModel() : request.model();
    Optional<BundleManifest> model = catalog.generationModel(modelName);
    if (model.isEmpty()) {
      errors.add(new FieldError("model", unknownModel(modelName, catalog)));
    } else {
      BundleManifest m = model.get();
      errors.addAll(
          GenerationLimits.check(
              m,
              request.prompt(),
              request.negativePrompt(),
              width(request, m),
              height(request, m),
              steps(request, m),
              guidance(request, m),
              sampler(request, m),
              eta(request),
              request.seed(),
              numImages(request)));
    }
    if (request.upscale() != null) {
      errors.addAll(checkUpscale(request.upscale(), catalog));
    }
    if (request.webhook() != null) {
      errors.addAll(checkWebhook(request.webhook()));
    }
    if (request.priority() != null && !PRIORITIES.contains(request.priority())) {
      errors.add(new FieldError("priority", "must be interactive or batch"));
    }
    if (request.metadata() != null) {
      errors.addAll(checkMetadata(request.metadata()));
    }
    if (request.strength() != null && request.initImageRef() == null) {
      errors.add(new FieldError("strength", "needs an init_image"));
    } else if (request.strength() != null && !(request.strength() > 0 && request.strength() <= 1)) {
      errors.add(new FieldError("strength", "must be greater than 0 and at most 1"));
    }
    return errors;
  }

  private static String unknownModel(String name, ModelCatalog catalog) {
    if (catalog.upscaler(name).isPresent()) {
      return "'" + name + "' is an upscaler; name it in upscale.method, not as the model";
    }
    return "'" + name + "' is unknown";
  }

  /** Whether a generation or tenant id has the allowed form (also safe as a storage key part). */
  public static boolean isId(String id) {
    return id != null && IDS.matcher(id).matches();
  }

  private static List<FieldError> checkMetadata(Map<String, String> metadata) {
    List<FieldError> errors = new ArrayList<>();
    if (metadata.size() > MAX_METADATA_ENTRIES) {
      errors.add(
          new FieldError("metadata", "may hold at most " + MAX_METADATA_ENTRIES + " entries"));
    }
    metadata.forEach(
        (key, value) -> {
          if (!METADATA_KEYS.matcher(key).matches()) {
            errors.add(
                new FieldError("metadata", "keys must be 1-64 letters, digits, '.', '_' or '-'"));
          } else if (value == null || value.length() > MAX_METADATA_VALUE) {
            errors.add(
                new FieldError(
                    "metadata." + key,
                    "must be a string of at most " + MAX_METADATA_VALUE + " characters"));
          }
        });
    return errors.stream().distinct().toList();
  }

  private static List<FieldError> checkUpscale(UpscaleSpec upscale, ModelCatalog catalog) {
    List<FieldError> errors = new ArrayList<>();
    if (upscale.method() == null || upscale.lanczos()) {
      if (upscale.factor() < 2 || upscale.factor() > MAX_UPSCALE) {
        errors.add(new FieldError("upscale.factor", "must be between 2 and " + MAX_UPSCALE));
      }
      return errors;
    }
    Optional<BundleManifest> upscaler =
        catalog.upscaler(upscale.method());
    if (upscaler.isEmpty()) {
      errors.add(
          new FieldError(
              "upscale.method",
              "'" + upscale.method() + "' is neither lanczos nor an upscaler model"));
    } else if (upscaler.get().upscale().scale() != upscale.factor()) {
      errors.add(
          new FieldError(
              "upscale.factor",
              "model " + upscale.method() + " upscales by " + upscaler.get().upscale().scale()));
    }
    return errors;
  }

  private static List<FieldError> checkWebhook(WebhookSpec webhook) {
    List<FieldError> errors = new ArrayList<>();
    try {
      URI uri = new URI(webhook.url() == null ? "" : webhook.url());
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null) {
        errors.add(new FieldError("webhook.url", "must be an absolute http or https URL"));
      } else if (uri.getUserInfo() != null) {
        errors.add(new FieldError("webhook.url", "must not carry credentials"));
      }
    } catch (URISyntaxException e) {
      errors.add(new FieldError("webhook.url", "is not a valid URL"));
    }
    if (webhook.events() != null && !EVENTS.containsAll(webhook.events())) {
      errors.add(
          new FieldError(
              "webhook.events", "may contain only started, completed, failed, canceled"));
    }
    return errors;
  }

  /** The request with the model's defaults filled in; call only after {@link #check} passed. */
  public static GenerationPlan plan(
      GenerationRequest request, ModelCatalog catalog, long seed, StageSettings settings) {
    BundleManifest m =
        catalog
            .generationModel(request.model() == null ? catalog.defaultModel() : request.model())
            .orElseThrow();
    UpscaleSpec upscale =
        request.upscale() == null
            ? null
            : new UpscaleSpec(
                request.upscale().factor(),
                request.upscale().method() == null
                    ? UpscaleSpec.LANCZOS
                    : request.upscale().method());
    return new GenerationPlan(
        request.generationId(),
        request.tenantId(),
        nullToEmpty(request.prompt()),
        nullToEmpty(request.negativePrompt()),
        m.name(),
        width(request, m),
        height(request, m),
        steps(request, m),
        guidance(request, m),
        sampler(request, m),
        eta(request),
        seed,
        numImages(request),
        upscale,
        request.webhook(),
        priority(request),
        request.metadata() == null ? Map.of() : Map.copyOf(request.metadata()),
        request.initImageRef(),
        request.strength() == null ? DEFAULT_STRENGTH : request.strength(),
        settings);
  }

  /** The request's priority, {@code interactive} when it names none. */
  public static String priority(GenerationRequest request) {
    return request.priority() == null ? "interactive" : request.priority();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static int width(GenerationRequest r, BundleManifest m) {
    return r.width() != null ? r.width() : m.image().defaultWidth();
  }

  private static int height(GenerationRequest r, BundleManifest m) {
    return r.height() != null ? r.height() : m.image().defaultHeight();
  }

  private static int steps(GenerationRequest r, BundleManifest m) {
    return r.steps() != null ? r.steps() : m.defaults().steps();
  }

  private static double guidance(GenerationRequest r, BundleManifest m) {
    return r.guidanceScale() != null ? r.guidanceScale() : m.defaults().guidanceScale();
  }

  private static String sampler(GenerationRequest r, BundleManifest m) {
    return r.sampler() != null ? r.sampler() : m.defaults().sampler();
  }

  private static double eta(GenerationRequest r) {
    return r.eta() != null ? r.eta() : 0;
  }

  private static int numImages(GenerationRequest r) {
    return r.numImages() != null ? r.numImages() : 1;
  }
}
