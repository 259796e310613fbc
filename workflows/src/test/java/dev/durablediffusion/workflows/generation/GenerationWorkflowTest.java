package dev.durablediffusion.workflows.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.workflows.fairshare.ClientFairShareActivities;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import dev.durablediffusion.workflows.fairshare.FairShareWorkflowImpl;
import dev.durablediffusion.workflows.fairshare.TurnRequest;
import dev.durablediffusion.workflows.fairshare.TurnTaker;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import dev.durablediffusion.workflows.webhook.DeliveryReport;
import dev.durablediffusion.workflows.webhook.WebhookActivities;
import dev.durablediffusion.workflows.webhook.WebhookDeliveryWorkflowImpl;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workflow's routing, recovery and bookkeeping, with activities that record what they see. */
class GenerationWorkflowTest {

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<GenerationOutcome> closedOut = new CopyOnWriteArrayList<>();
  private volatile boolean cancelDuringSuccessCloseOut;
  private final List<WebhookEvent> webhooks = new CopyOnWriteArrayList<>();
  private final List<WebhookEvent> refusedWebhooks = new CopyOnWriteArrayList<>();
  private final AtomicInteger receiverRefusals = new AtomicInteger();
  private int fairShareWindow;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    Worker workflows = env.newWorker(TaskQueues.WORKFLOWS);
    workflows.registerWorkflowImplementationTypes(
        GenerationWorkflowImpl.class,
        WebhookDeliveryWorkflowImpl.class,
        FairShareWorkflowImpl.class);
    workflows.registerActivitiesImplementations(
        new ClientFairShareActivities(client), new Validation(null));
    env.newWorker(TaskQueues.CPU).registerActivitiesImplementations(new Store());
    env.newWorker(TaskQueues.WEBHOOKS)
        .registerActivitiesImplementations(
            (WebhookActivities)
                (event, attempt) -> {
                  if (receiverRefusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    refusedWebhooks.add(event);
                    return new DeliveryAttempt(attempt, 0, 503, "down", null, false, false);
                  }
                  webhooks.add(event);
                  return new DeliveryAttempt(attempt, 0, 200, null, null, true, false);
                });
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void runsEveryStageAndDenoisesOnTheHostThatPreparedTheModel() {
    startWithOneHost(null);

    GenerationStatus status = workflow("gen-1").generate(request("gen-1", null));

    assertThat(status.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(status.outputs())
        .extracting(ImageRef::ref)
        .containsExactly("outputs/acme/gen-1/image-0.png");
    assertThat(calls)
        .containsExactly(
            "validate", "prepare", "denoise@host-a", "store images", "close-out succeeded");
    assertThat(status.timingsMillis())
        .containsKeys("validating", "preparing", "denoising", "activities")
        .containsEntry("storing", 3L)
        .containsEntry("total", status.finishedAtMillis() - status.createdAtMillis());
  }

  @Test
  void theFinalStatusAClientReadsIsTheOneTheWorkflowClosedOutWith() {
    startWithOneHost(null);

    GenerationStatus status = workflow("gen-own").generate(request("gen-own", null));

    assertThat(closedOut)
        .singleElement()
        .satisfies(outcome -> assertThat(outcome.finalStatus()).isEqualTo(status));
    assertThat(closedOut.get(0).outputs()).isEqualTo(status.outputs());
    assertThat(closedOut.get(0).finishedAtMillis()).isEqualTo(status.finishedAtMillis());
  }

  /**
   * The SDK closes an execution that was asked to cancel as canceled however its method returns, so
   * the execution says canceled while the generation, as every client reads it, succeeded.
   */
  @Test
  void aCancelThatArrivesOnceTheImagesAreStoredDoesNotUndoTheSuccess() {
    cancelDuringSuccessCloseOut = true;
    startWithOneHost(null);

    assertThatThrownBy(() -> workflow("gen-late").generate(request("gen-late", null)))
        .isInstanceOf(WorkflowFailedException.class);

    assertThat(calls).contains("close-out succeeded").doesNotContain("close-out canceled");
    assertThat(closedOut)
        .extracting(GenerationOutcome::state)
        .containsExactly(GenerationState.SUCCEEDED);
    assertThat(client.newWorkflowStub(GenerationWorkflow.class, "gen-late").status().state())
        .isEqualTo(GenerationState.SUCCEEDED);
  }

  @Test
  void gpuTasksCarryTheTenantAsFairnessKeyAndCpuTasksDoNot() {
    startWithOneHost(null);

    workflow("gen-fair").generate(request("gen-fair", null));

    Map<String, String> fairnessKeyByActivity = new java.util.HashMap<>();
    client
        .fetchHistory("gen-fair")
        .getEvents()
        .forEach(
            event -> {
              if (event.hasActivityTaskScheduledEventAttributes()) {
                var scheduled = event.getActivityTaskScheduledEventAttributes();
                fairnessKeyByActivity.put(
                    scheduled.getActivityType().getName(),
                    scheduled.getPriority().getFairnessKey());
              }
            });
    assertThat(fairnessKeyByActivity)
        .containsEntry("PrepareModel", "acme")
        .containsEntry("Denoise", "acme")
        .containsEntry("StoreImages", "")
        .containsEntry("CloseOut", "");
  }

  @Test
  void preparesElsewhereWhenTheHostQueueHasNoWorker() {
    env.newWorker(TaskQueues.GPU_INTERACTIVE)
        .registerActivitiesImplementations(new Models(List.of("gone", "host-b")));
    env.newWorker("host-b").registerActivitiesImplementations(new Denoise("host-b", null));
    env.start();

    GenerationStatus status = workflow("gen-2").generate(request("gen-2", null));

    assertThat(status.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(calls).containsSubsequence("prepare", "prepare", "denoise@host-b");
    assertThat(calls).filteredOn(c -> c.startsWith("denoise")).containsExactly("denoise@host-b");
  }

  @Test
  void aDenoiseHandedBackByADrainingHostContinuesOnAnotherAndTheStatusNamesBoth() {
    env.newWorker(TaskQueues.GPU_INTERACTIVE)
        .registerActivitiesImplementations(new Models(List.of("host-a", "host-b")));
    env.newWorker("host-a")
        .registerActivitiesImplementations(
            new DenoiseActivities() {
              @Override
              public DenoiseResult denoise(DenoiseInput input) {
                calls.add("denoise@host-a");
                throw GenerationFailures.hostDraining("host-a", 7);
              }
            });
    env.newWorker("host-b").registerActivitiesImplementations(new Denoise("host-b", null, 7));
    env.start();

    GenerationStatus status = workflow("gen-drained").generate(request("gen-drained", null));

    assertThat(status.state()).isEqualTo(GenerationState.SUCCEEDED);
    assertThat(calls).containsSubsequence("denoise@host-a", "prepare", "denoise@host-b");
    assertThat(status.gpuHosts()).containsExactly("host-a", "host-b");
    assertThat(status.gpuHost()).isEqualTo("host-b");
    assertThat(status.resumedFromStep()).isEqualTo(7);
  }

  @Test
  void failsWithTheFieldsWhenValidationRefusesTheRequest() {
    TestWorkflowEnvironment invalidEnv = TestWorkflowEnvironment.newInstance();
    try {
      Worker workflows = invalidEnv.newWorker(TaskQueues.WORKFLOWS);
      workflows.registerWorkflowImplementationTypes(GenerationWorkflowImpl.class);
      workflows.registerActivitiesImplementations(
          new Validation(List.of(new FieldError("steps", "must be between 1 and 150"))));
      invalidEnv.newWorker(TaskQueues.CPU).registerActivitiesImplementations(new Store());
      invalidEnv.start();
      GenerationWorkflow workflow =
          invalidEnv
              .getWorkflowClient()
              .newWorkflowStub(
                  GenerationWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("gen-3")
                      .setTaskQueue(TaskQueues.WORKFLOWS)
                      .build());

      assertThatThrownBy(() -> workflow.generate(request("gen-3", null)))
          .isInstanceOf(WorkflowFailedException.class);

      GenerationStatus status =
          invalidEnv
              .getWorkflowClient()
              .newWorkflowStub(GenerationWorkflow.class, "gen-3")
              .status();
      assertThat(status.state()).isEqualTo(GenerationState.FAILED);
      assertThat(status.error().type()).isEqualTo(ErrorTypes.INVALID_REQUEST);
      assertThat(status.error().fields())
          .containsExactly(new FieldError("steps", "must be between 1 and 150"));
      assertThat(calls).doesNotContain("prepare");
    } finally {
      invalidEnv.close();
    }
  }

  @Test
  void cancelingStopsTheDenoiseDiscardsWorkAndReportsCanceled() throws Exception {
    GenerationWorkflow workflow =
        denoisingOnOneHost(
            "gen-4", new WebhookSpec("https://hooks.example/x", List.of("canceled")));

    WorkflowStub.fromTyped(workflow).cancel();

    awaitTrue(
        () ->
            client.newWorkflowStub(GenerationWorkflow.class, "gen-4").status().state()
                == GenerationState.CANCELED);
    assertThat(calls)
        .contains("denoise-canceled", "close-out canceled")
        .noneMatch(call -> call.startsWith("store"));
    awaitTrue(() -> !webhooks.isEmpty());
    assertThat(webhooks).extracting(WebhookEvent::type).containsExactly("generation.canceled");
  }

  @Test
  void cancelingTheGenerationLeavesTheDeliveriesItAlreadyOwesToRetry() throws Exception {
    receiverRefusals.set(1);
    GenerationWorkflow workflow =
        denoisingOnOneHost(
            "gen-7", new WebhookSpec("https://hooks.example/x", List.of("started", "canceled")));
    awaitTrue(() -> !refusedWebhooks.isEmpty());

    WorkflowStub.fromTyped(workflow).cancel();
    DeliveryReport started =
        client
            .newUntypedWorkflowStub("gen-7/webhook/started")
            .getResult(30, TimeUnit.SECONDS, DeliveryReport.class);

    assertThat(started.delivered()).as(started.toString()).isTrue();
    assertThat(started.attempts()).hasSize(2);
    awaitTrue(() -> webhooks.size() == 2);
    assertThat(webhooks)
        .extracting(WebhookEvent::type)
        .containsExactlyInAnyOrder("generation.started", "generation.canceled");
  }

  @Test
  void withAFairShareWindowGpuStagesWaitForATurnThatIsHandedBackHoweverTheyEnd() throws Exception {
    fairShareWindow = 1;
    CountDownLatch denoising = new CountDownLatch(1);
    startWithOneHost(denoising);
    GenerationWorkflow first = workflow("gen-t1");
    WorkflowClient.start(first::generate, request("gen-t1", null));
    assertThat(denoising.await(30, TimeUnit.SECONDS)).isTrue();

    GenerationWorkflow second = workflow("gen-t2");
    WorkflowClient.start(second::generate, request("gen-t2", null));
    FairShareWorkflow dispatcher =
        client.newWorkflowStub(
            FairShareWorkflow.class, FairShareWorkflow.workflowId(TaskQueues.GPU_INTERACTIVE));
    awaitTrue(() -> dispatcher.state().waiting().containsKey("acme"));
    assertThat(client.newWorkflowStub(GenerationWorkflow.class, "gen-t2").status().state())
        .isEqualTo(GenerationState.QUEUED);

    WorkflowStub.fromTyped(second).cancel();
    awaitTrue(() -> dispatcher.state().waiting().isEmpty());
    assertThat(dispatcher.state().holders()).containsOnlyKeys("gen-t1");
    WorkflowStub.fromTyped(first).cancel();
    awaitTrue(() -> dispatcher.state().holders().isEmpty());

    assertThat(calls).filteredOn("prepare"::equals).hasSize(1);
    assertThat(calls).contains("close-out canceled").noneMatch(call -> call.startsWith("store"));
  }

  @Test
  void aGenerationWhoseDispatcherWasLostAsksAgainAndGetsItsTurn() throws Exception {
    FairShareWorkflow dispatcher = dispatcherWithAHolder();
    GenerationWorkflow waiting = waitingForATurn("gen-r", dispatcher);

    WorkflowStub.fromTyped(dispatcher).terminate("lost");
    env.sleep(GpuTurn.REQUEST_RENEWAL.multipliedBy(3).dividedBy(2).plusSeconds(5));

    GenerationStatus status =
        WorkflowStub.fromTyped(waiting).getResult(30, TimeUnit.SECONDS, GenerationStatus.class);
    assertThat(status.state()).isEqualTo(GenerationState.SUCCEEDED);
  }

  @Test
  void aLongWaitRenewsTheTurnRequestLessAndLessOften() throws Exception {
    FairShareWorkflow dispatcher = dispatcherWithAHolder();
    waitingForATurn("gen-w", dispatcher);

    env.sleep(Duration.ofHours(1));

    long requests =
        client
            .fetchHistory(FairShareWorkflow.workflowId(TaskQueues.GPU_INTERACTIVE))
            .getEvents()
            .stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
            .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
            .filter("request"::equals)
            .count();
    // The holder's request, the first of the waiting generation, and its renewals: about 1, 2, 4,
    // 8 and then 10 minutes apart, each drawn from half to one and a half times that, where a
    // renewal a minute asked 60 times.
    assertThat(requests - 2).isBetween(4L, 14L);
    assertThat(dispatcher.state().waiting().get("acme")).containsExactly("gen-w");
  }

  /** A window of one, held by a stand-in generation of another tenant that never hands it back. */
  private FairShareWorkflow dispatcherWithAHolder() throws InterruptedException {
    fairShareWindow = 1;
    env.getWorkerFactory()
        .getWorker(TaskQueues.WORKFLOWS)
        .registerWorkflowImplementationTypes(TurnTaker.Impl.class);
    startWithOneHost(null);
    FairShareWorkflow dispatcher =
        client.newWorkflowStub(
            FairShareWorkflow.class, FairShareWorkflow.workflowId(TaskQueues.GPU_INTERACTIVE));
    TurnTaker holder =
        client.newWorkflowStub(
            TurnTaker.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("holder")
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
    WorkflowClient.start(
        holder::take, new TurnRequest(TaskQueues.GPU_INTERACTIVE, "holder", "other", 1, 0));
    awaitTrue(() -> dispatcher.state().holders().containsKey("holder"));
    return dispatcher;
  }

  private GenerationWorkflow waitingForATurn(String id, FairShareWorkflow dispatcher)
      throws InterruptedException {
    GenerationWorkflow waiting = workflow(id);
    WorkflowClient.start(waiting::generate, request(id, null));
    awaitTrue(() -> dispatcher.state().waiting().containsKey("acme"));
    return waiting;
  }

  /** Polls until true; a workflow that does not exist yet counts as not yet. */
  /** Starts the generation on one GPU host and returns once its denoise runs. */
  private GenerationWorkflow denoisingOnOneHost(String id, WebhookSpec webhook)
      throws InterruptedException {
    CountDownLatch denoising = new CountDownLatch(1);
    startWithOneHost(denoising);
    GenerationWorkflow workflow = workflow(id);
    WorkflowClient.start(workflow::generate, request(id, webhook));
    assertThat(denoising.await(30, TimeUnit.SECONDS)).isTrue();
    return workflow;
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 200 && !holds(condition); i++) {
      Thread.sleep(50);
    }
    assertThat(holds(condition)).isTrue();
  }

  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (io.temporal.client.WorkflowNotFoundException notYet) {
      return false;
    }
  }

  @Test
  void deliversOnlyTheWebhookEventsTheRequestAskedFor() throws Exception {
    startWithOneHost(null);

    workflow("gen-5")
        .generate(
            request("gen-5", new WebhookSpec("https://hooks.example/x", List.of("completed"))));

    for (int i = 0; i < 100 && webhooks.isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertThat(webhooks)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.type()).isEqualTo("generation.completed");
              assertThat(event.webhookId()).isEqualTo("gen-5/webhook/completed");
              assertThat(event.generation().state()).isEqualTo(GenerationState.SUCCEEDED);
            });
  }

  /** Starts the environment with one GPU host; its denoise waits on {@code denoising} if given. */
  private void startWithOneHost(CountDownLatch denoising) {
    env.newWorker(TaskQueues.GPU_INTERACTIVE)
        .registerActivitiesImplementations(new Models(List.of("host-a")));
    env.newWorker("host-a").registerActivitiesImplementations(new Denoise("host-a", denoising));
    env.start();
  }

  private GenerationWorkflow workflow(String id) {
    return client.newWorkflowStub(
        GenerationWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.WORKFLOWS).build());
  }

  private static GenerationRequest request(String id, WebhookSpec webhook) {
    return GenerationRequest.builder(id, "acme")
        .prompt("a red circle")
        .steps(4)
        .seed(7L)
        .numImages(1)
        .webhook(webhook)
        .metadata(Map.of("order", "1234"))
        .submittedAtMillis(1_000L)
        .build();
  }

  private GenerationPlan plan(GenerationRequest r) {
    return new GenerationPlan(
        r.generationId(),
        r.tenantId(),
        r.prompt(),
        "",
        "tiny-shapes",
        64,
        64,
        4,
        5.0,
        "ddim",
        0,
        7L,
        1,
        null,
        r.webhook(),
        "interactive",
        r.metadata(),
        null,
        RequestValidation.DEFAULT_STRENGTH,
        new StageSettings(
            TaskQueues.GPU_INTERACTIVE,
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            List.of(Duration.ZERO, Duration.ofSeconds(2)),
            fairShareWindow));
  }

  private class Validation implements ValidateActivities {
    private final List<FieldError> refusal;

    Validation(List<FieldError> refusal) {
      this.refusal = refusal;
    }

    @Override
    public GenerationPlan validate(GenerationRequest request) {
      calls.add("validate");
      if (refusal != null) {
        throw GenerationFailures.invalidRequest(refusal);
      }
      return plan(request);
    }
  }

  private class Models implements ModelActivities {
    private final List<String> hosts;
    private final AtomicInteger next = new AtomicInteger();

    Models(List<String> hosts) {
      this.hosts = hosts;
    }

    @Override
    public PreparedModel prepareModel(String model) {
      calls.add("prepare");
      String host = hosts.get(Math.min(next.getAndIncrement(), hosts.size() - 1));
      return new PreparedModel(host, "digest", false, 5, 5, host);
    }
  }

  private class Denoise implements DenoiseActivities {
    private final String host;
    private final CountDownLatch started;
    private final Integer resumeAt;

    Denoise(String host, CountDownLatch started) {
      this(host, started, null);
    }

    /** A denoise that reports continuing from a checkpoint at {@code resumeAt}. */
    Denoise(String host, CountDownLatch started, Integer resumeAt) {
      this.host = host;
      this.started = started;
      this.resumeAt = resumeAt;
    }

    @Override
    public DenoiseResult denoise(DenoiseInput input) {
      calls.add("denoise@" + host);
      if (started != null) {
        started.countDown();
        try {
          for (int step = 0; step < 600; step++) {
            Activity.getExecutionContext().heartbeat(step);
            Thread.sleep(100);
          }
        } catch (io.temporal.client.ActivityCompletionException canceled) {
          calls.add("denoise-canceled");
          throw canceled;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String id = input.plan().generationId();
      return new DenoiseResult(
          List.of(new ImageRef(StorageLayout.denoised(id, 0), 64, 64, 7, "sha")),
          false,
          false,
          10,
          host,
          resumeAt);
    }
  }

  private class Store implements StoreActivities {
    @Override
    public StoredImages storeImages(StoreInput input) {
      calls.add("store images");
      GenerationPlan plan = input.plan();
      return new StoredImages(
          List.of(
              new ImageRef(
                  StorageLayout.output(plan.tenantId(), plan.generationId(), 0), 64, 64, 7, "sha")),
          3);
    }

    @Override
    public StoreResult store(StoreInput input, GenerationOutcome succeeded) {
      throw new AssertionError("only generations from before final-status-from-workflow store so");
    }

    @Override
    public int closeOut(GenerationOutcome outcome) {
      calls.add("close-out " + outcome.state().name().toLowerCase());
      closedOut.add(outcome);
      if (outcome.state() == GenerationState.SUCCEEDED && cancelDuringSuccessCloseOut) {
        client.newUntypedWorkflowStub(outcome.generationId()).cancel();
        sleepQuietly(500);
      }
      return 1;
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
