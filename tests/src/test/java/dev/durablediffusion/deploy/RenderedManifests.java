package dev.durablediffusion.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.durablediffusion.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Kubernetes objects one Kustomize overlay renders to, as {@code kubectl kustomize} prints
 * them, with the look-ups the manifest rules need (workloads and their pod templates, a container's
 * effective environment, label selectors).
 */
final class RenderedManifests {

  /**
   * The overlays under test: the two real environments and the Temporal Cloud variant (a test
   * fixture).
   */
  enum Overlay {
    DEV("deploy/aks/k8s/overlays/dev"),
    PROD("deploy/aks/k8s/overlays/prod"),
    TEMPORAL_CLOUD("tests/src/test/resources/deploy/temporal-cloud");

    final String directory;

    Overlay(String directory) {
      this.directory = directory;
    }
  }

  /**
   * The platform's own namespace; everything else rendered is a cluster-level or node-level
   * service.
   */
  static final String PLATFORM_NAMESPACE = "durable-diffusion";

  private static final Map<Overlay, RenderedManifests> RENDERED = new ConcurrentHashMap<>();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Overlay overlay;
  private final List<JsonNode> objects;

  private RenderedManifests(Overlay overlay, List<JsonNode> objects) {
    this.overlay = overlay;
    this.objects = List.copyOf(objects);
  }

  /** Renders the overlay once per test run. */
  static RenderedManifests of(Overlay overlay) {
    return RENDERED.computeIfAbsent(overlay, o -> render(o, Repository.root().resolve(o.directory)));
  }

  private static RenderedManifests render(Overlay overlay, Path directory) {
    Process process;
    try {
      process =
          new ProcessBuilder("kubectl", "kustomize", directory.toString())
              .redirectErrorStream(false)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "These tests render the Kustomize overlays with `kubectl kustomize`, and no kubectl was"
              + " found on the PATH ("
              + e.getMessage()
              + "). Install kubectl (it includes kustomize) and run again.",
          e);
    }
    try {
      process.getOutputStream().close();
      var stdout = process.getInputStream().readAllBytes();
      var stderr = process.getErrorStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + directory + " did not finish in 120 s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize "
                + overlay.directory
                + " failed (exit "
                + process.exitValue()
                + "):\n"
                + new String(stderr, StandardCharsets.UTF_8));
      }
      List<JsonNode> objects = new ArrayList<>();
      try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(stdout)) {
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
            objects.add(doc);
          }
        }
      }
      return new RenderedManifests(overlay, objects);
    } catch (IOException e) {
      throw new AssertionError(
          "Could not read what kubectl kustomize " + overlay.directory + " printed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while rendering " + overlay.directory, e);
    }
  }

  Overlay overlay() {
    return overlay;
  }

  List<JsonNode> all() {
    return objects;
  }

  Stream<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
  }

  Optional<JsonNode> find(String kind, String namespace, String name) {
    return ofKind(kind)
        .filter(
            o ->
                name.equals(name(o))
                    && namespace.equals(o.path("metadata").path("namespace").asText()))
        .findFirst();
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static String namespace(JsonNode object) {
    return object.path("metadata").path("namespace").asText();
  }

  static String id(JsonNode object) {
    return object.path("kind").asText() + " " + namespace(object) + "/" + name(object);
  }

  /** Something that runs pods: its kind, name, namespace and pod template. */
  record Workload(String kind, String name, String namespace, JsonNode podTemplate) {

    JsonNode podSpec() {
      return podTemplate.path("spec");
    }

    Map<String, String> podLabels() {
      return strings(podTemplate.path("metadata").path("labels"));
    }

    String label(String key) {
      return podLabels().getOrDefault(key, "");
    }

    List<JsonNode> containers() {
      List<JsonNode> all = new ArrayList<>();
      podSpec().path("initContainers").forEach(all::add);
      podSpec().path("containers").forEach(all::add);
      return all;
    }

    JsonNode mainContainer() {
      return podSpec().path("containers").path(0);
    }

    boolean isPlatform() {
      return PLATFORM_NAMESPACE.equals(namespace);
    }

    /** GPUs the pod asks for (requests, or limits when only those are given). */
    long gpus() {
      long sum = 0;
      for (JsonNode c : containers()) {
        JsonNode resources = c.path("resources");
        JsonNode gpu = resources.path("requests").path("nvidia.com/gpu");
        if (gpu.isMissingNode()) {
          gpu = resources.path("limits").path("nvidia.com/gpu");
        }
        if (!gpu.isMissingNode()) {
          sum += Long.parseLong(gpu.asText());
        }
      }
      return sum;
    }

    @Override
    public String toString() {
      return kind + " " + namespace + "/" + name;
    }
  }

  List<Workload> workloads() {
    List<Workload> workloads = new ArrayList<>();
    for (JsonNode o : objects) {
      String kind = o.path("kind").asText();
      switch (kind) {
        case "Deployment", "DaemonSet", "StatefulSet", "Job", "ReplicaSet" ->
            workloads.add(
                new Workload(kind, name(o), namespace(o), o.path("spec").path("template")));
        case "CronJob" ->
            workloads.add(
                new Workload(
                    kind,
                    name(o),
                    namespace(o),
                    o.path("spec").path("jobTemplate").path("spec").path("template")));
        case "Pod" -> workloads.add(new Workload(kind, name(o), namespace(o), o));
        default -> {}
      }
    }
    return workloads;
  }

  List<Workload> platformDeployments() {
    return workloads().stream()
        .filter(w -> w.kind().equals("Deployment") && w.isPlatform())
        .toList();
  }

  /**
   * The worker pools: every platform Deployment that polls Temporal task queues (all but the API).
   */
  List<Workload> workerPools() {
    return platformDeployments().stream()
        .filter(w -> !w.label("app.kubernetes.io/name").equals("api"))
        .toList();
  }

  /**
   * A container's environment as the kubelet would assemble it: envFrom ConfigMaps, then env
   * values.
   */
  Map<String, String> environment(Workload workload, JsonNode container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (JsonNode from : container.path("envFrom")) {
      String configMap = from.path("configMapRef").path("name").asText(null);
      if (configMap != null) {
        find("ConfigMap", workload.namespace(), configMap)
            .ifPresent(cm -> env.putAll(strings(cm.path("data"))));
      }
    }
    for (JsonNode e : container.path("env")) {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    }
    return env;
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
    return map;
  }

  /**
   * Whether a Kubernetes label selector (matchLabels and matchExpressions) selects these labels.
   */
  static boolean selects(JsonNode selector, Map<String, String> labels) {
    for (Map.Entry<String, String> wanted : strings(selector.path("matchLabels")).entrySet()) {
      if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      List<String> values = new ArrayList<>();
      expression.path("values").forEach(v -> values.add(v.asText()));
      boolean matches =
          switch (expression.path("operator").asText()) {
            case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
            case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            default -> throw new AssertionError("Unknown selector operator in " + expression);
          };
      if (!matches) {
        return false;
      }
    }
    return true;
  }

  static boolean isEmptySelector(JsonNode selector) {
    return selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty();
  }
}
