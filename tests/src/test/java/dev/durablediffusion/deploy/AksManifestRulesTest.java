package dev.durablediffusion.deploy;

import static dev.durablediffusion.deploy.RenderedManifests.PLATFORM_NAMESPACE;
import static dev.durablediffusion.deploy.RenderedManifests.id;
import static dev.durablediffusion.deploy.RenderedManifests.isEmptySelector;
import static dev.durablediffusion.deploy.RenderedManifests.name;
import static dev.durablediffusion.deploy.RenderedManifests.namespace;
import static dev.durablediffusion.deploy.RenderedManifests.selects;
import static dev.durablediffusion.deploy.RenderedManifests.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.deploy.RenderedManifests.Overlay;
import dev.durablediffusion.deploy.RenderedManifests.Workload;
import dev.durablediffusion.workflows.generation.TaskQueues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules every rendered AKS overlay obeys (deploy/aks/k8s; docs/deploy.md). Each overlay is
 * rendered with {@code kubectl kustomize} exactly as CI applies it; each test is one rule.
 */
class AksManifestRulesTest {

  private static final String POOL_LABEL = "durablediffusion.dev/pool";
  private static final String NAME_LABEL = "app.kubernetes.io/name";
  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern PLATFORM_IMAGE =
      Pattern.compile(
          "[a-z0-9]+\\.azurecr\\.io/durable-diffusion/(api|cpu-worker|gpu-worker):(GIT_SHA|[0-9a-f]{40})(@sha256:[0-9a-f]{64})?");
  private static final Pattern THIRD_PARTY_IMAGE =
      Pattern.compile(
          "[^\\s@]+/[^\\s@:/]+(:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*))?(@sha256:[0-9a-f]{64})?");

  /** Placeholders in the base that an environment must fill (components/environment). */
  private static final List<String> ENVIRONMENT_PLACEHOLDERS =
      List.of(
          "API_CLIENT_ID",
          "CPU_WORKER_CLIENT_ID",
          "GPU_WORKER_CLIENT_ID",
          "KEDA_CLIENT_ID",
          "CLIENT_ID",
          "KEY_VAULT_NAME",
          "AZURE_TENANT_ID",
          "APPGW_SUBNET_CIDR",
          "API_HOST",
          "API_WAF_POLICY_ID",
          "PROMETHEUS_QUERY_ENDPOINT",
          "STORAGE_BLOB_HOST",
          "STORAGE_ACCOUNT");

  private static final Set<String> QUEUE_TYPES = Set.of("workflow", "activity", "nexus");

  // ---------------------------------------------------------------------------------------------
  // Rendering

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyOverlayRendersWithKubectlKustomize(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);

    assertThat(m.platformDeployments())
        .extracting(Workload::name)
        .containsExactlyInAnyOrder(
            "api", "cpu-worker", "gpu-worker-interactive", "gpu-worker-batch");
    assertThat(m.all())
        .allSatisfy(o -> assertThat(o.path("metadata").path("name").asText()).isNotBlank());
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyEnvironmentValueIsFilledIn(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (JsonNode o : m.all()) {
      List<String> texts = new ArrayList<>();
      collectText(o, texts);
      for (String placeholder : ENVIRONMENT_PLACEHOLDERS) {
        soft.assertThat(texts)
            .as("%s still carries the placeholder %s", id(o), placeholder)
            .noneMatch(t -> Pattern.compile("\\b" + placeholder + "\\b").matcher(t).find());
      }
    }
    soft.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // GPU pool

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void gpuPodsTolerateTheGpuTaintSelectTheGpuPoolAndRequestGpus(Overlay overlay) {
    List<Workload> gpuWorkers = gpuWorkers(RenderedManifests.of(overlay));

    assertThat(gpuWorkers)
        .extracting(Workload::name)
        .containsExactlyInAnyOrder("gpu-worker-interactive", "gpu-worker-batch");
    assertThat(gpuWorkers)
        .allSatisfy(
            w -> {
              assertThat(w.podSpec().path("tolerations"))
                  .as("%s tolerations", w)
                  .anySatisfy(
                      t ->
                          assertThat(strings(t))
                              .containsExactlyInAnyOrderEntriesOf(
                                  Map.of(
                                      "key",
                                      "sku",
                                      "operator",
                                      "Equal",
                                      "value",
                                      "gpu",
                                      "effect",
                                      "NoSchedule")));
              assertThat(nodePool(w)).as("%s node pool", w).isEqualTo("gpu");
              JsonNode resources = w.mainContainer().path("resources");
              assertThat(resources.path("requests").path("nvidia.com/gpu").asInt())
                  .as("%s requests GPUs", w)
                  .isPositive();
              assertThat(resources.path("limits").path("nvidia.com/gpu").asInt())
                  .as("%s GPU limit = request", w)
                  .isEqualTo(resources.path("requests").path("nvidia.com/gpu").asInt());
            });
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void onlyGpuWorkloadsTolerateTheGpuTaint(Overlay overlay) {
    for (Workload w : RenderedManifests.of(overlay).workloads()) {
      boolean tolerates = false;
      for (JsonNode t : w.podSpec().path("tolerations")) {
        tolerates |= toleratesGpuTaint(t);
      }
      boolean gpuNodeAgent = w.kind().equals("DaemonSet") && "gpu".equals(nodePool(w));
      if (tolerates) {
        assertThat(w.gpus() > 0 || gpuNodeAgent)
            .as(
                "%s tolerates sku=gpu:NoSchedule but neither requests a GPU nor is a GPU node"
                    + " agent",
                w)
            .isTrue();
      }
      if (w.gpus() > 0) {
        assertThat(tolerates)
            .as("%s requests a GPU without tolerating the GPU pool's taint", w)
            .isTrue();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void gpuWorkersDriveExactlyTheGpusTheyRequest(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    assertThat(gpuWorkers(m))
        .allSatisfy(
            w -> {
              Map<String, String> env = m.environment(w, w.mainContainer());
              assertThat(env)
                  .as("%s env", w)
                  .containsEntry("DD_GPU_ENABLED", "true")
                  .containsEntry("DD_CPU_ENABLED", "false")
                  .containsEntry("DD_GPU_SLOTS", Long.toString(w.gpus()));
              assertThat(env.get("DD_GPU_DEVICE")).as("%s device", w).startsWith("cuda:");
            });
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void gpuNodeAgentsRunWithTheLeastPrivilegeTheyNeed(Overlay overlay) {
    List<Workload> agents =
        RenderedManifests.of(overlay).workloads().stream().filter(w -> !w.isPlatform()).toList();

    assertThat(agents).extracting(Workload::name).contains("nvidia-device-plugin", "dcgm-exporter");
    assertThat(agents)
        .allSatisfy(
            w -> {
              assertThat(w.kind()).isEqualTo("DaemonSet");
              assertThat(nodePool(w)).as("%s runs on the GPU pool only", w).isEqualTo("gpu");
              assertThat(w.podSpec().path("hostNetwork").asBoolean(false))
                  .as("%s hostNetwork", w)
                  .isFalse();
              assertThat(w.podSpec().path("hostPID").asBoolean(false))
                  .as("%s hostPID", w)
                  .isFalse();
              for (JsonNode c : w.containers()) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("privileged").asBoolean(false)).as("%s privileged", w).isFalse();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true))
                    .as("%s privilege escalation", w)
                    .isFalse();
                assertThat(texts(sc.path("capabilities").path("drop")))
                    .as("%s drops", w)
                    .contains("ALL");
                assertThat(texts(sc.path("capabilities").path("add")))
                    .as("%s adds", w)
                    .isSubsetOf("SYS_ADMIN");
                assertThat(seccomp(w, c)).as("%s seccomp", w).isEqualTo("RuntimeDefault");
              }
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Containers

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyContainerHasCpuAndMemoryRequestsAndLimits(Overlay overlay) {
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : RenderedManifests.of(overlay).workloads()) {
      for (JsonNode c : w.containers()) {
        for (String bound : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            soft.assertThat(c.path("resources").path(bound).path(resource).asText())
                .as("%s container %s: resources.%s.%s", w, c.path("name").asText(), bound, resource)
                .isNotBlank();
          }
        }
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyPlatformContainerHasLivenessAndReadinessProbesOnTheActuatorHealthGroups(
      Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : m.platformDeployments()) {
      for (JsonNode c : w.containers()) {
        Map<String, String> env = m.environment(w, c);
        String managementPort = env.getOrDefault("MANAGEMENT_SERVER_PORT", env.get("SERVER_PORT"));
        soft.assertThat(env)
            .as("%s env", w)
            .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");
        for (String[] probe :
            new String[][] {
              {"livenessProbe", "/actuator/health/liveness"},
              {"readinessProbe", "/actuator/health/readiness"}
            }) {
          JsonNode get = c.path(probe[0]).path("httpGet");
          soft.assertThat(get.path("path").asText())
              .as("%s %s path", w, probe[0])
              .isEqualTo(probe[1]);
          soft.assertThat(containerPort(c, get.path("port")))
              .as("%s %s port", w, probe[0])
              .isEqualTo(managementPort);
        }
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyPlatformPodIsNonRootReadOnlyCapabilityFreeAndSeccompConfined(Overlay overlay) {
    SoftAssertions soft = new SoftAssertions();
    for (Workload w : RenderedManifests.of(overlay).platformDeployments()) {
      JsonNode pod = w.podSpec();
      for (String hostAccess : List.of("hostNetwork", "hostPID", "hostIPC")) {
        soft.assertThat(pod.path(hostAccess).asBoolean(false)).as("%s %s", w, hostAccess).isFalse();
      }
      soft.assertThat(pod.path("volumes")).as("%s volumes", w).noneMatch(v -> v.has("hostPath"));
      for (JsonNode c : w.containers()) {
        JsonNode sc = c.path("securityContext");
        String runAsNonRoot =
            sc.has("runAsNonRoot")
                ? sc.path("runAsNonRoot").asText()
                : pod.path("securityContext").path("runAsNonRoot").asText();
        soft.assertThat(runAsNonRoot).as("%s runAsNonRoot", w).isEqualTo("true");
        soft.assertThat(
                sc.path("runAsUser").asInt(pod.path("securityContext").path("runAsUser").asInt(1)))
            .as("%s runAsUser", w)
            .isNotZero();
        soft.assertThat(sc.path("privileged").asBoolean(false)).as("%s privileged", w).isFalse();
        soft.assertThat(sc.path("allowPrivilegeEscalation").asText())
            .as("%s allowPrivilegeEscalation", w)
            .isEqualTo("false");
        soft.assertThat(sc.path("readOnlyRootFilesystem").asText())
            .as("%s readOnlyRootFilesystem", w)
            .isEqualTo("true");
        soft.assertThat(texts(sc.path("capabilities").path("drop")))
            .as("%s capabilities.drop", w)
            .contains("ALL");
        soft.assertThat(texts(sc.path("capabilities").path("add")))
            .as("%s capabilities.add", w)
            .isEmpty();
        soft.assertThat(seccomp(w, c)).as("%s seccompProfile", w).isEqualTo("RuntimeDefault");
      }
    }
    soft.assertAll();
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void platformPodsWriteOnlyToEmptyDirScratchAndModelCache(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (Workload w : m.platformDeployments()) {
      Map<String, String> env = m.environment(w, w.mainContainer());
      List<String> writable = new ArrayList<>(List.of("/tmp"));
      if (env.containsKey("DD_GPU_MODEL_CACHE_DIRECTORY")) {
        writable.add(env.get("DD_GPU_MODEL_CACHE_DIRECTORY"));
      }
      for (String path : writable) {
        JsonNode mount = null;
        for (JsonNode vm : w.mainContainer().path("volumeMounts")) {
          if (path.equals(vm.path("mountPath").asText())) {
            mount = vm;
          }
        }
        assertThat(mount).as("%s mounts a volume at %s", w, path).isNotNull();
        JsonNode volume = volume(w, mount.path("name").asText());
        assertThat(volume.path("emptyDir").isObject()).as("%s %s is an emptyDir", w, path).isTrue();
        assertThat(volume.path("emptyDir").path("sizeLimit").asText())
            .as("%s %s sizeLimit", w, path)
            .isNotBlank();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Scaling on Temporal backlog

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyWorkerPoolHasAScaledObjectWithAWellFormedTemporalTrigger(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    assertThat(m.workerPools()).hasSize(3);
    for (Workload pool : m.workerPools()) {
      JsonNode scaledObject = scaledObjectFor(m, pool);
      JsonNode spec = scaledObject.path("spec");
      assertThat(spec.path("minReplicaCount").asInt())
          .as("%s min <= max", pool)
          .isLessThanOrEqualTo(spec.path("maxReplicaCount").asInt());
      assertThat(spec.path("triggers"))
          .as("%s triggers", pool)
          .isNotEmpty()
          .allSatisfy(
              t -> {
                JsonNode md = t.path("metadata");
                assertThat(t.path("type").asText()).isEqualTo("temporal");
                assertThat(md.path("endpoint").asText())
                    .as("%s endpoint", pool)
                    .matches("[A-Za-z0-9.-]+:\\d+");
                assertThat(md.path("namespace").asText()).as("%s namespace", pool).isNotBlank();
                assertThat(md.path("taskQueue").asText()).as("%s taskQueue", pool).isNotBlank();
                assertThat(md.path("queueTypes").asText().split(","))
                    .as("%s queueTypes", pool)
                    .isSubsetOf(QUEUE_TYPES);
                assertThat(md.path("targetQueueSize").asText())
                    .as("%s targetQueueSize", pool)
                    .matches("[1-9]\\d*");
                assertThat(md.path("activationTargetQueueSize").asText())
                    .as("%s activationTargetQueueSize", pool)
                    .matches("\\d+");
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void scaledTaskQueuesAreTheApplicationsTaskQueues(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    Map<String, Map<String, String>> expected =
        Map.of(
            "cpu-worker",
                Map.of(
                    TaskQueues.WORKFLOWS,
                    "workflow",
                    TaskQueues.CPU,
                    "activity",
                    TaskQueues.WEBHOOKS,
                    "activity"),
            "gpu-worker-interactive", Map.of(TaskQueues.GPU_INTERACTIVE, "activity"),
            "gpu-worker-batch", Map.of(TaskQueues.GPU_BATCH, "activity"));

    for (Workload pool : m.workerPools()) {
      Map<String, String> watched = new TreeMap<>();
      for (JsonNode t : scaledObjectFor(m, pool).path("spec").path("triggers")) {
        watched.put(
            t.path("metadata").path("taskQueue").asText(),
            t.path("metadata").path("queueTypes").asText());
      }
      assertThat(watched)
          .as("queues and queue types KEDA watches for %s", pool)
          .containsExactlyInAnyOrderEntriesOf(expected.get(pool.name()));
      assertThat(watched.keySet())
          .as("per-host queues are never scaled")
          .noneMatch(q -> q.startsWith("gpu-host-"));
      String gpuQueues = m.environment(pool, pool.mainContainer()).get("DD_GPU_TASK_QUEUES");
      if (gpuQueues != null) {
        assertThat(Set.of(gpuQueues.split(",")))
            .as("%s polls the queue it is scaled on", pool)
            .isEqualTo(watched.keySet());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void temporalTriggersWatchTheFrontendAndNamespaceTheWorkersUse(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (Workload pool : m.workerPools()) {
      Map<String, String> env = m.environment(pool, pool.mainContainer());
      assertThat(scaledObjectFor(m, pool).path("spec").path("triggers"))
          .allSatisfy(
              t -> {
                assertThat(t.path("metadata").path("endpoint").asText())
                    .as("%s endpoint", pool)
                    .isEqualTo(env.get("TEMPORAL_ADDRESS"));
                assertThat(t.path("metadata").path("namespace").asText())
                    .as("%s namespace", pool)
                    .isEqualTo(env.get("TEMPORAL_NAMESPACE"));
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void busyGpuPodsAreNeitherScaledAwayNorKilledMidDenoise(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (Workload w : gpuWorkers(m)) {
      Duration grace =
          springDuration(m.environment(w, w.mainContainer()).get("DD_GPU_SHUTDOWN_GRACE"));
      assertThat(w.podSpec().path("terminationGracePeriodSeconds").asLong())
          .as("%s terminationGracePeriodSeconds > DD_GPU_SHUTDOWN_GRACE (%s)", w, grace)
          .isGreaterThan(grace.toSeconds());
      assertThat(w.mainContainer().path("lifecycle").path("preStop").isObject())
          .as("%s preStop", w)
          .isTrue();
      JsonNode scaleDown =
          scaledObjectFor(m, w)
              .path("spec")
              .path("advanced")
              .path("horizontalPodAutoscalerConfig")
              .path("behavior")
              .path("scaleDown");
      assertThat(scaleDown.path("stabilizationWindowSeconds").asInt())
          .as("%s scale-down stabilization", w)
          .isGreaterThanOrEqualTo(600);
      assertThat(scaleDown.path("policies"))
          .as("%s removes one pod at a time", w)
          .allSatisfy(p -> assertThat(p.path("value").asInt()).isEqualTo(1));
    }
    assertThat(
            scaledObjectFor(
                    m,
                    gpuWorkers(m).stream()
                        .filter(w -> w.name().endsWith("-interactive"))
                        .findFirst()
                        .orElseThrow())
                .path("spec")
                .path("minReplicaCount")
                .asInt())
        .as("interactive GPU pods kept warm")
        .isPositive();
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void gpuCeilingsFitTheNamespaceGpuQuotaWithRoomForARollout(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    long ceiling = 0;
    for (Workload w : gpuWorkers(m)) {
      ceiling += scaledObjectFor(m, w).path("spec").path("maxReplicaCount").asLong() * w.gpus();
    }
    JsonNode quota =
        m.ofKind("ResourceQuota")
            .filter(q -> namespace(q).equals(PLATFORM_NAMESPACE))
            .findFirst()
            .orElseThrow();
    assertThat(quota.path("spec").path("hard").path("requests.nvidia.com/gpu").asLong())
        .as("GPU quota >= the GPU pools' ceilings (%s) + one surge pod", ceiling)
        .isGreaterThanOrEqualTo(ceiling + 1);
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void kedaAloneOwnsTheReplicaCountOfEveryPlatformDeployment(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    assertThat(m.ofKind("Deployment").filter(d -> namespace(d).equals(PLATFORM_NAMESPACE)))
        .allSatisfy(
            d -> {
              assertThat(d.path("spec").has("replicas"))
                  .as("%s sets replicas, which every apply would reset", id(d))
                  .isFalse();
              assertThat(
                      m.ofKind("ScaledObject")
                          .filter(
                              s ->
                                  namespace(s).equals(PLATFORM_NAMESPACE)
                                      && s.path("spec")
                                          .path("scaleTargetRef")
                                          .path("name")
                                          .asText()
                                          .equals(name(d))))
                  .as("a ScaledObject scales %s", id(d))
                  .hasSize(1);
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Images

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void imagesArePinnedToTheCommitShaPlaceholder(Overlay overlay) {
    SoftAssertions soft = new SoftAssertions();
    Set<String> registries = new HashSet<>();
    for (Workload w : RenderedManifests.of(overlay).workloads()) {
      for (JsonNode c : w.containers()) {
        String image = c.path("image").asText();
        if (w.isPlatform()) {
          Matcher matcher = PLATFORM_IMAGE.matcher(image);
          soft.assertThat(matcher.matches())
              .as("%s image %s is <acr>/durable-diffusion/<app>:GIT_SHA", w, image)
              .isTrue();
          if (matcher.matches()) {
            soft.assertThat(w.name())
                .as("%s runs its own image %s", w, image)
                .startsWith(matcher.group(1));
            registries.add(image.substring(0, image.indexOf('/')));
          }
        } else {
          Matcher matcher = THIRD_PARTY_IMAGE.matcher(image);
          soft.assertThat(
                  matcher.matches() && (matcher.group("tag") != null || image.contains("@sha256:")))
              .as("%s image %s names a version", w, image)
              .isTrue();
        }
        soft.assertThat(image)
            .as("%s image", w)
            .doesNotEndWith(":latest")
            .doesNotContain(":latest@");
      }
    }
    soft.assertThat(registries)
        .as("platform images come from this environment's registry")
        .hasSize(1);
    soft.assertAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Network policies

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void aDefaultDenyPolicySelectsEveryPodInEveryNamespace(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    Set<String> namespaces =
        m.workloads().stream().map(Workload::namespace).collect(Collectors.toSet());
    for (String ns : namespaces) {
      assertThat(m.ofKind("NetworkPolicy").filter(p -> namespace(p).equals(ns)))
          .as("a default-deny NetworkPolicy in %s", ns)
          .anySatisfy(
              p -> {
                JsonNode spec = p.path("spec");
                assertThat(isEmptySelector(spec.path("podSelector"))).isTrue();
                assertThat(texts(spec.path("policyTypes"))).contains("Ingress", "Egress");
                assertThat(spec.path("ingress").isEmpty() && spec.path("egress").isEmpty())
                    .isTrue();
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyDeploymentIsMatchedByAnAllowPolicyOfItsOwn(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (Workload w : m.workloads().stream().filter(w -> w.kind().equals("Deployment")).toList()) {
      assertThat(m.ofKind("NetworkPolicy").filter(p -> namespace(p).equals(w.namespace())))
          .as("an allow NetworkPolicy selecting the pods of %s", w)
          .anySatisfy(
              p -> {
                JsonNode spec = p.path("spec");
                assertThat(isEmptySelector(spec.path("podSelector"))).isFalse();
                assertThat(selects(spec.path("podSelector"), w.podLabels())).isTrue();
                assertThat(spec.path("ingress").isEmpty() && spec.path("egress").isEmpty())
                    .isFalse();
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void onlyTheCpuWorkerReachesArbitraryInternetHosts(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (JsonNode policy :
        m.ofKind("NetworkPolicy").filter(p -> namespace(p).equals(PLATFORM_NAMESPACE)).toList()) {
      List<String> selected =
          m.platformDeployments().stream()
              .filter(w -> selects(policy.path("spec").path("podSelector"), w.podLabels()))
              .map(w -> w.label(NAME_LABEL))
              .distinct()
              .toList();
      boolean onlyCpuWorker = selected.stream().allMatch("cpu-worker"::equals);
      boolean azureEndpoints =
          "azure-endpoints"
              .equals(
                  policy
                      .path("metadata")
                      .path("labels")
                      .path("durablediffusion.dev/egress")
                      .asText());
      for (JsonNode rule : policy.path("spec").path("egress")) {
        boolean toInternet = false;
        for (JsonNode to : rule.path("to")) {
          toInternet |= "0.0.0.0/0".equals(to.path("ipBlock").path("cidr").asText());
        }
        if (!toInternet || onlyCpuWorker) {
          continue;
        }
        Set<Integer> ports = new HashSet<>();
        rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
        assertThat(ports)
            .as("%s lets %s reach the internet on any port", id(policy), selected)
            .isNotEmpty();
        assertThat(ports)
            .as("%s: internet ports for %s", id(policy), selected)
            .isSubsetOf(443, 7233);
        if (ports.contains(443)) {
          assertThat(azureEndpoints)
              .as("%s: 443 for %s is only for Azure endpoints", id(policy), selected)
              .isTrue();
        }
      }
    }
  }

  @Test
  void prodReachesAzureEndpointsByNameOnly() {
    RenderedManifests m = RenderedManifests.of(Overlay.PROD);

    assertThat(m.ofKind("NetworkPolicy"))
        .as("address-based Azure egress is replaced in prod")
        .noneMatch(p -> p.path("metadata").path("labels").has("durablediffusion.dev/egress"));
    JsonNode fqdn =
        m.find("CiliumNetworkPolicy", PLATFORM_NAMESPACE, "azure-endpoints").orElseThrow();
    List<String> names = new ArrayList<>();
    fqdn.path("spec")
        .path("egress")
        .forEach(
            rule ->
                rule.path("toFQDNs")
                    .forEach(
                        f ->
                            names.add(
                                f.path("matchName").asText(f.path("matchPattern").asText()))));
    assertThat(names)
        .hasSize(2)
        .contains("login.microsoftonline.com")
        .anyMatch(n -> n.matches("[a-z0-9]+\\.blob\\.core\\.windows\\.net"));
    for (Workload w : m.platformDeployments()) {
      boolean selected = selects(fqdn.path("spec").path("endpointSelector"), w.podLabels());
      assertThat(selected)
          .as("%s under the FQDN policy", w)
          .isEqualTo(!w.name().equals("cpu-worker"));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // API: ingress, autoscaling, disruption budget

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void theApiIsPublishedOnlyThroughTheWafIngressWithTlsATimeoutAndAHealthProbe(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    assertThat(m.ofKind("Service"))
        .as("no Service bypasses the gateway")
        .allSatisfy(
            s ->
                assertThat(s.path("spec").path("type").asText("ClusterIP")).isEqualTo("ClusterIP"));
    List<JsonNode> ingresses = m.ofKind("Ingress").toList();
    assertThat(ingresses).hasSize(1);
    JsonNode ingress = ingresses.get(0);
    Map<String, String> annotations = strings(ingress.path("metadata").path("annotations"));
    Workload api =
        m.platformDeployments().stream()
            .filter(w -> w.name().equals("api"))
            .findFirst()
            .orElseThrow();
    Map<String, String> apiEnv = m.environment(api, api.mainContainer());

    assertThat(ingress.path("spec").path("ingressClassName").asText())
        .isEqualTo("azure-application-gateway");
    assertThat(annotations.get("appgw.ingress.kubernetes.io/waf-policy-for-path"))
        .matches(
            "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/"
                + "ApplicationGatewayWebApplicationFirewallPolicies/[^/]+");
    assertThat(annotations.get("appgw.ingress.kubernetes.io/request-timeout")).matches("\\d+");
    assertThat(annotations)
        .containsEntry("appgw.ingress.kubernetes.io/ssl-redirect", "true")
        .containsEntry(
            "appgw.ingress.kubernetes.io/health-probe-path", "/actuator/health/readiness")
        .containsEntry(
            "appgw.ingress.kubernetes.io/health-probe-port", apiEnv.get("MANAGEMENT_SERVER_PORT"));

    JsonNode tls = ingress.path("spec").path("tls").path(0);
    String host = ingress.path("spec").path("rules").path(0).path("host").asText();
    assertThat(texts(tls.path("hosts"))).containsExactly(host);
    String tlsSecret = tls.path("secretName").asText();
    assertThat(m.ofKind("SecretProviderClass"))
        .as("Key Vault syncs the TLS secret %s", tlsSecret)
        .anySatisfy(
            spc -> {
              assertThat(spc.path("spec").path("secretObjects"))
                  .anySatisfy(
                      so -> {
                        assertThat(so.path("secretName").asText()).isEqualTo(tlsSecret);
                        assertThat(so.path("type").asText()).isEqualTo("kubernetes.io/tls");
                      });
              assertThat(csiClasses(api)).contains(name(spc));
            });

    JsonNode backend =
        ingress
            .path("spec")
            .path("rules")
            .path(0)
            .path("http")
            .path("paths")
            .path(0)
            .path("backend");
    JsonNode service =
        m.find("Service", PLATFORM_NAMESPACE, backend.path("service").path("name").asText())
            .orElseThrow();
    assertThat(service.path("spec").path("selector").isEmpty())
        .as("the api Service selects pods")
        .isFalse();
    assertThat(selects(wrapMatchLabels(service.path("spec").path("selector")), api.podLabels()))
        .as("the Ingress backend %s selects the api pods", id(service))
        .isTrue();
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void theApiScalesOnCpuAndRequestRateAndKeepsPodsThroughDisruptions(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    Workload api =
        m.platformDeployments().stream()
            .filter(w -> w.name().equals("api"))
            .findFirst()
            .orElseThrow();
    JsonNode scaling = scaledObjectFor(m, api).path("spec");

    assertThat(scaling.path("advanced").path("horizontalPodAutoscalerConfig").path("name").asText())
        .as("the HPA KEDA creates for the API")
        .isEqualTo("api");
    assertThat(scaling.path("triggers"))
        .extracting(t -> t.path("type").asText())
        .containsExactlyInAnyOrder("cpu", "prometheus");
    assertThat(scaling.path("triggers"))
        .filteredOn(t -> t.path("type").asText().equals("prometheus"))
        .allSatisfy(
            t -> {
              assertThat(t.path("metadata").path("query").asText())
                  .contains("http_server_requests_seconds_count");
              assertThat(t.path("authenticationRef").path("name").asText()).isNotBlank();
            });
    assertThat(
            m.ofKind("PodDisruptionBudget")
                .filter(p -> selects(p.path("spec").path("selector"), api.podLabels())))
        .as("a PodDisruptionBudget for the API")
        .singleElement()
        .satisfies(
            pdb ->
                assertThat(pdb.path("spec").path("minAvailable").asInt())
                    .isBetween(1, Math.max(1, scaling.path("minReplicaCount").asInt() - 1)));
  }

  // ---------------------------------------------------------------------------------------------
  // Identity, secrets, namespace guard rails

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void everyPlatformPodSignsInWithItsOwnWorkloadIdentity(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (Workload w : m.platformDeployments()) {
      assertThat(w.podLabels())
          .as("%s labels", w)
          .containsEntry("azure.workload.identity/use", "true");
      String sa = w.podSpec().path("serviceAccountName").asText();
      assertThat(sa).as("%s service account", w).isEqualTo(w.label(NAME_LABEL));
      JsonNode account = m.find("ServiceAccount", w.namespace(), sa).orElseThrow();
      String clientId =
          account
              .path("metadata")
              .path("annotations")
              .path("azure.workload.identity/client-id")
              .asText();
      assertThat(clientId).as("%s client id", sa).matches(GUID);
      for (String spcName : csiClasses(w)) {
        JsonNode spc = m.find("SecretProviderClass", w.namespace(), spcName).orElseThrow();
        assertThat(spc.path("spec").path("provider").asText()).isEqualTo("azure");
        assertThat(spc.path("spec").path("parameters").path("clientID").asText())
            .as("%s reads Key Vault as %s through %s", w, sa, spcName)
            .isEqualTo(clientId);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void secretsReachPodsAsKeyVaultFilesNeverAsEnvironmentValues(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    for (Workload w : m.platformDeployments()) {
      for (JsonNode c : w.containers()) {
        assertThat(c.path("env"))
            .as("%s env", w)
            .noneMatch(e -> e.path("valueFrom").has("secretKeyRef"));
        assertThat(c.path("envFrom")).as("%s envFrom", w).noneMatch(e -> e.has("secretRef"));
      }
      String imports = m.environment(w, w.mainContainer()).get("SPRING_CONFIG_IMPORT");
      Set<String> configTrees = new HashSet<>();
      for (String location : imports.split(",")) {
        configTrees.add(
            location
                .replaceFirst("^optional:", "")
                .replaceFirst("^configtree:", "")
                .replaceFirst("/$", ""));
      }
      for (JsonNode vm : w.mainContainer().path("volumeMounts")) {
        JsonNode volume = volume(w, vm.path("name").asText());
        if (volume.has("csi") && !vm.path("mountPath").asText().equals("/mnt/tls")) {
          assertThat(configTrees)
              .as("%s reads the Key Vault files at %s", w, vm.path("mountPath").asText())
              .contains(vm.path("mountPath").asText().replaceFirst("/$", ""));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void theNamespaceIsBoundedByQuotaLimitsPriorityAndRestrictedPodSecurity(Overlay overlay) {
    RenderedManifests m = RenderedManifests.of(overlay);
    JsonNode ns =
        m.ofKind("Namespace")
            .filter(n -> name(n).equals(PLATFORM_NAMESPACE))
            .findFirst()
            .orElseThrow();
    assertThat(strings(ns.path("metadata").path("labels")))
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    assertThat(m.ofKind("ResourceQuota").filter(q -> namespace(q).equals(PLATFORM_NAMESPACE)))
        .singleElement()
        .satisfies(
            q ->
                assertThat(q.path("spec").path("hard").path("requests.nvidia.com/gpu").asInt())
                    .isPositive());
    assertThat(m.ofKind("LimitRange").filter(l -> namespace(l).equals(PLATFORM_NAMESPACE)))
        .hasSize(1);
    Set<String> priorityClasses =
        m.ofKind("PriorityClass").map(RenderedManifests::name).collect(Collectors.toSet());
    assertThat(m.platformDeployments())
        .allSatisfy(
            w ->
                assertThat(w.podSpec().path("priorityClassName").asText())
                    .as("%s priority", w)
                    .isIn(priorityClasses));
    assertThat(m.platformDeployments())
        .filteredOn(w -> !w.name().contains("gpu"))
        .allSatisfy(w -> assertThat(nodePool(w)).as("%s node pool", w).isEqualTo("cpu"));
  }

  // ---------------------------------------------------------------------------------------------

  private static List<Workload> gpuWorkers(RenderedManifests m) {
    return m.platformDeployments().stream()
        .filter(w -> w.label(NAME_LABEL).equals("gpu-worker"))
        .toList();
  }

  private static JsonNode scaledObjectFor(RenderedManifests m, Workload w) {
    List<JsonNode> found =
        m.ofKind("ScaledObject")
            .filter(
                s ->
                    namespace(s).equals(w.namespace())
                        && s.path("spec")
                            .path("scaleTargetRef")
                            .path("name")
                            .asText()
                            .equals(w.name()))
            .toList();
    assertThat(found).as("one ScaledObject targets %s", w).hasSize(1);
    return found.get(0);
  }

  private static String nodePool(Workload w) {
    String pool = w.podSpec().path("nodeSelector").path(POOL_LABEL).asText(null);
    if (pool != null) {
      return pool;
    }
    for (JsonNode term :
        w.podSpec()
            .path("affinity")
            .path("nodeAffinity")
            .path("requiredDuringSchedulingIgnoredDuringExecution")
            .path("nodeSelectorTerms")) {
      for (JsonNode e : term.path("matchExpressions")) {
        if (e.path("key").asText().equals(POOL_LABEL)
            && e.path("operator").asText().equals("In")
            && e.path("values").size() == 1) {
          return e.path("values").path(0).asText();
        }
      }
    }
    return "";
  }

  private static boolean toleratesGpuTaint(JsonNode t) {
    String operator = t.path("operator").asText("Equal");
    boolean key =
        t.path("key").asText().equals("sku") || (!t.has("key") && operator.equals("Exists"));
    boolean value = operator.equals("Exists") || t.path("value").asText().equals("gpu");
    boolean effect =
        !t.has("effect")
            || t.path("effect").asText().isEmpty()
            || t.path("effect").asText().equals("NoSchedule");
    return key && value && effect;
  }

  private static String seccomp(Workload w, JsonNode container) {
    String type =
        container.path("securityContext").path("seccompProfile").path("type").asText(null);
    return type != null
        ? type
        : w.podSpec().path("securityContext").path("seccompProfile").path("type").asText();
  }

  /** The port number a probe's port (name or number) refers to. */
  private static String containerPort(JsonNode container, JsonNode port) {
    if (port.isInt() || port.asText().matches("\\d+")) {
      return port.asText();
    }
    for (JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(port.asText())) {
        return p.path("containerPort").asText();
      }
    }
    return "no port named " + port.asText();
  }

  private static JsonNode volume(Workload w, String name) {
    for (JsonNode v : w.podSpec().path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError(w + " has no volume " + name);
  }

  private static List<String> csiClasses(Workload w) {
    List<String> classes = new ArrayList<>();
    for (JsonNode v : w.podSpec().path("volumes")) {
      String spc = v.path("csi").path("volumeAttributes").path("secretProviderClass").asText(null);
      if (spc != null) {
        classes.add(spc);
      }
    }
    return classes;
  }

  private static JsonNode wrapMatchLabels(JsonNode labels) {
    var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    node.set("matchLabels", labels);
    return node;
  }

  private static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  private static void collectText(JsonNode node, List<String> into) {
    if (node.isTextual()) {
      into.add(node.asText());
    } else {
      node.fields()
          .forEachRemaining(
              f -> {
                into.add(f.getKey());
                collectText(f.getValue(), into);
              });
      if (node.isArray()) {
        node.forEach(n -> collectText(n, into));
      }
    }
  }

  /** Spring Boot's simple duration format, as the apps read DD_*_GRACE: 15m, 90s, 2h, 500ms. */
  private static Duration springDuration(String text) {
    Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text == null ? "" : text);
    assertThat(matcher.matches()).as("duration %s", text).isTrue();
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
