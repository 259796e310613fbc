package dev.durablediffusion.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablediffusion.cpu.webhook.WebhookSigner;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import dev.durablediffusion.workflows.generation.GenerationWorkflow;
import dev.durablediffusion.workflows.generation.TaskQueues;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.util.FileSystemUtils;

/**
 * Records the histories that {@code RecordedHistoryReplayTest} (workflows module) replays: each
 * scenario runs one generation through the API against the Temporal CLI's dev server, and the
 * closed workflow's history is written as JSON to {@code <out>/<scenario>.json}, the webhook
 * deliveries it started to {@code <out>/webhook-<scenario>-<event>.json}, and last the history of
 * the fair-share dispatcher that gave all of them their GPU turns to {@code
 * fair-share-dispatcher.json}. The command is in docs/replay.md. Run it in its own JVM (exec:exec,
 * not exec:java): the host-loss scenario starts GPU workers as child JVMs on this JVM's classpath.
 *
 * <p>Arguments: the output directory.
 */
public final class HistoryRecorder {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofMinutes(5);
  private static final String BROKEN_MODEL = "broken-shapes";
  private static final List<String> MODEL_FILES =
      List.of("tokenizer.json", "text_encoder.pt", "unet.pt", "vae_decoder.pt", "vae_encoder.pt");

  private final WorkflowClient client;
  private final Path out;

  private HistoryRecorder(WorkflowClient client, Path out) {
    this.client = client;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: HistoryRecorder <output directory>");
      System.exit(2);
    }
    System.setProperty("ai.djl.offline", "true");
    Path out = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(out);
    Path data = Files.createTempDirectory("history-recorder-");
    int exit = 0;
    try (TemporalServerProcess temporal = new TemporalServerProcess()) {
      HistoryRecorder recorder = new HistoryRecorder(temporal.client(), out);
      recorder.onePlatformScenarios(temporal, data);
      recorder.hostLoss(temporal, data.resolve("host-loss"));
      recorder.fairShareDispatcher();
      System.out.println("histories written to " + out);
    } catch (Throwable t) {
      t.printStackTrace();
      exit = 1;
    } finally {
      FileSystemUtils.deleteRecursively(data.toFile());
    }
    System.exit(exit);
  }

  /** Success, cancel, failure and webhook retries, all on one in-process platform. */
  private void onePlatformScenarios(TemporalServerProcess temporal, Path data) throws Exception {
    Path platformData = data.resolve("platform");
    Path models = brokenModelDirectory(data.resolve("models"));
    try (HookReceiver hooks = new HookReceiver();
        HookReceiver flaky = HookReceiver.failingFirst(3, 500, null);
        HookReceiver recovering = HookReceiver.failingFirst(4, 500, null);
        InProcessPlatform platform =
            new InProcessPlatform(
                temporal,
                platformData,
                LoopbackWebhooks.tenantA(
                    WebhookSigner.newSecret(),
                    Map.of(
                        "dd.models.directory", models.toString(),
                        "dd.cpu.webhook-retry-schedule", "0s,1s,1s,1s,1s")))) {
      ApiClient api = new ApiClient(platform.port(), "key-a");
      success(api, hooks.url());
      canceled(api, hooks.url());
      failed(api, hooks.url());
      webhookRetries(api, flaky);
      canceledWhileADeliveryIsOwed(api, recovering);
    }
  }

  /** (a) Two images, a webhook for started and completed. */
  private void success(ApiClient api, String hookUrl) throws Exception {
    String id =
        api.submit(
            """
            {"prompt": "a red circle on a blue background", "seed": 42, "num_images": 2,
             "steps": 8, "webhook": {"url": "%s", "events": ["started", "completed"]}}"""
                .formatted(hookUrl));
    expectStatus(api.awaitEnd(id, WAIT), "succeeded");
    record("success", id, List.of("started", "completed"));
  }

  /** (b) Canceled while denoising. */
  private void canceled(ApiClient api, String hookUrl) throws Exception {
    String id =
        api.submit(
            """
            {"prompt": "a purple circle on an orange background", "steps": 150, "num_images": 2,
             "webhook": {"url": "%s", "events": ["canceled"]}}"""
                .formatted(hookUrl));
    api.awaitStep(id, 3, WAIT);
    ApiClient.Response cancel = api.post("/v1/generations/" + id + "/cancel", "", null);
    if (cancel.status() != 202) {
      throw new AssertionError("cancel answered " + cancel.status());
    }
    expectStatus(api.awaitEnd(id, WAIT), "canceled");
    WorkflowExecutionHistory history = closedHistory(id);
    expectEvent(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    expectEvent(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    write("canceled", history);
  }

  /**
   * (c) A request the API accepts (the model is in the catalog) whose model fails to prepare: the
   * bundle's manifest names a tokenizer digest its file does not have.
   */
  private void failed(ApiClient api, String hookUrl) throws Exception {
    String id =
        api.submit(
            """
            {"prompt": "a green square on a white background", "model": "%s", "steps": 4,
             "webhook": {"url": "%s", "events": ["failed"]}}"""
                .formatted(BROKEN_MODEL, hookUrl));
    expectStatus(api.awaitEnd(id, WAIT), "failed");
    WorkflowExecutionHistory history = closedHistory(id);
    if (!history.toJson(false).contains("ModelUnavailable")) {
      throw new AssertionError(id + " did not fail with ModelUnavailable");
    }
    expectEvent(history, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    expectEvent(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
    write("failed", history);
  }

  /** (e) The receiver answers 500 three times, then 204. */
  private void webhookRetries(ApiClient api, HookReceiver flaky) throws Exception {
    String id =
        api.submit(
            """
            {"prompt": "an orange triangle on a blue background", "steps": 4,
             "webhook": {"url": "%s", "events": ["completed"]}}"""
                .formatted(flaky.url()));
    expectStatus(api.awaitEnd(id, WAIT), "succeeded");
    record("failing-receiver", id, List.of("completed"));
    if (flaky.count() != 4) {
      throw new AssertionError("expected 4 webhook requests, got " + flaky.count());
    }
  }

  /**
   * (f) Canceled while denoising, while its {@code started} delivery is still failing: the
   * delivery outlives the cancel and is delivered on its fifth attempt.
   */
  private void canceledWhileADeliveryIsOwed(ApiClient api, HookReceiver recovering)
      throws Exception {
    String id =
        api.submit(
            """
            {"prompt": "a white circle on a black background", "steps": 150,
             "webhook": {"url": "%s", "events": ["started"]}}"""
                .formatted(recovering.url()));
    api.awaitStep(id, 3, WAIT);
    if (recovering.count() >= 5) {
      throw new AssertionError("the delivery was done before the cancel");
    }
    ApiClient.Response cancel = api.post("/v1/generations/" + id + "/cancel", "", null);
    if (cancel.status() != 202) {
      throw new AssertionError("cancel answered " + cancel.status());
    }
    expectStatus(api.awaitEnd(id, WAIT), "canceled");
    record("canceled-delivery-owed", id, List.of("started"));
    if (recovering.count() != 5) {
      throw new AssertionError("expected 5 webhook requests, got " + recovering.count());
    }
  }

  /**
   * (d) Two GPU workers in their own JVMs; the one denoising is killed, its heartbeat times out and
   * the workflow prepares again on the survivor.
   */
  private void hostLoss(TemporalServerProcess temporal, Path data) throws Exception {
    try (TwoGpuWorkers platform = new TwoGpuWorkers(temporal, data)) {
      ApiClient api = new ApiClient(platform.port(), "key-a");
      String id =
          api.submit(
              """
{"prompt": "a yellow circle on a green background", "steps": 60, "num_images": 2, "seed": 5}""");
      api.awaitStep(id, 5, WAIT);
      String victim = platform.killTheHostOf(id);
      expectStatus(api.awaitEnd(id, Duration.ofMinutes(8)), "succeeded");
      String survivor = client.newWorkflowStub(GenerationWorkflow.class, id).status().gpuHost();
      if (survivor.equals(victim)) {
        throw new AssertionError("the generation finished on the killed host " + victim);
      }
      WorkflowExecutionHistory history = closedHistory(id);
      expectEvent(history, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT);
      write("host-loss", history);
    }
  }

  /**
   * The interactive GPU queue's fair-share dispatcher (the launcher's default has a fair-share
   * window), which handed out the turns of all the generations above. It runs on: its history so
   * far, taken once the platforms are closed so nothing changes it while it is fetched.
   */
  private void fairShareDispatcher() throws IOException {
    WorkflowExecutionHistory history =
        client.fetchHistory(FairShareWorkflow.workflowId(TaskQueues.GPU_INTERACTIVE));
    expectEvent(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    write("fair-share-dispatcher", history);
  }

  /** The generation's history and those of its webhook deliveries, once all have closed. */
  private void record(String scenario, String generationId, List<String> events)
      throws Exception {
    write(scenario, closedHistory(generationId));
    for (String event : events) {
      String webhookId = WebhookDeliveryWorkflow.workflowId(generationId, event);
      WorkflowExecutionHistory history = closedHistory(webhookId);
      expectEvent(history, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      write("webhook-" + scenario + "-" + event, history);
    }
  }

  private WorkflowExecutionHistory closedHistory(String workflowId) throws Exception {
    try {
      client
          .newUntypedWorkflowStub(workflowId)
          .getResult(WAIT.toSeconds(), TimeUnit.SECONDS, JsonNode.class);
    } catch (WorkflowException endedOtherwise) {
      // failed or canceled: closed all the same
    } catch (TimeoutException e) {
      throw new AssertionError(workflowId + " did not close in " + WAIT, e);
    }
    return client.fetchHistory(workflowId);
  }

  private void write(String name, WorkflowExecutionHistory history) throws IOException {
    Path file = out.resolve(name + ".json");
    Files.writeString(file, history.toJson(true) + "\n");
    System.out.printf(
        "%-36s %4d events %8d bytes%n",
        file.getFileName(), history.getEvents().size(), Files.size(file));
  }

  private static void expectStatus(JsonNode generation, String status) {
    if (!status.equals(generation.get("status").asText())) {
      throw new AssertionError("expected " + status + ": " + generation);
    }
  }

  private static void expectEvent(WorkflowExecutionHistory history, EventType type) {
    if (history.getEvents().stream().map(HistoryEvent::getEventType).noneMatch(type::equals)) {
      throw new AssertionError(history.getWorkflowExecution().getWorkflowId() + " has no " + type);
    }
  }

  /**
   * A copy of the shipped tiny-shapes bundle under another name whose manifest gives the tokenizer
   * a digest it does not have: the catalog lists it, preparing it fails verification.
   */
  private static Path brokenModelDirectory(Path root) throws IOException {
    Path bundle = root.resolve(BROKEN_MODEL);
    Files.createDirectories(bundle);
    for (String file : MODEL_FILES) {
      try (InputStream in = shipped(file)) {
        Files.copy(in, bundle.resolve(file));
      }
    }
    ObjectNode manifest;
    try (InputStream in = shipped("manifest.json")) {
      manifest = (ObjectNode) JSON.readTree(in);
    }
    manifest.put("name", BROKEN_MODEL);
    ((ObjectNode) manifest.get("components").get("tokenizer")).put("sha256", "0".repeat(64));
    JSON.writerWithDefaultPrettyPrinter()
        .writeValue(bundle.resolve("manifest.json").toFile(), manifest);
    return root;
  }

  private static InputStream shipped(String file) {
    InputStream in =
        HistoryRecorder.class.getClassLoader().getResourceAsStream("models/tiny-shapes/" + file);
    if (in == null) {
      throw new IllegalStateException("models/tiny-shapes/" + file + " is not on the classpath");
    }
    return in;
  }
}
