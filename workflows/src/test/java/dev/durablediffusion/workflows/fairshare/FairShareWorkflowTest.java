package dev.durablediffusion.workflows.fairshare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablediffusion.workflows.generation.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's order and bookkeeping, with stand-in generations that take one turn each. */
class FairShareWorkflowTest {

  private static final String QUEUE = "gpu-test";

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private long submissions;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    var worker = env.newWorker(TaskQueues.WORKFLOWS);
    worker.registerWorkflowImplementationTypes(FairShareWorkflowImpl.class, TurnTaker.Impl.class);
    worker.registerActivitiesImplementations(new ClientFairShareActivities(client));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void turnsAlternateBetweenTenantsAndFollowArrivalWithinATenant() {
    for (String id : List.of("a1", "a2", "a3", "a4")) {
      take(id, "a", 1);
    }
    take("b1", "b", 1);
    take("b2", "b", 1);
    awaitState(s -> s.waiting().getOrDefault("b", List.of()).size() == 2);

    List<String> order = new java.util.ArrayList<>();
    for (int turn = 0; turn < 6; turn++) {
      String holder = awaitState(s -> s.holders().size() == 1).holders().keySet().iterator().next();
      order.add(holder);
      client.newWorkflowStub(TurnTaker.class, holder).finish();
      awaitState(s -> !s.holders().containsKey(holder));
    }

    assertThat(order).containsExactly("a1", "a2", "b1", "a3", "b2", "a4");
  }

  @Test
  void aTenantsWaitingRequestsAreServedInSubmissionOrderWhateverOrderTheyArrivedIn() {
    take("a1", "a", 1, 10);
    take("a3", "a", 1, 30);
    take("a2", "a", 1, 20);

    assertThat(awaitState(s -> s.waiting().getOrDefault("a", List.of()).size() == 2).waiting())
        .containsEntry("a", List.of("a2", "a3"));
  }

  @Test
  void aWindowOfTwoLetsTwoGenerationsHoldTurnsAtOnce() {
    take("a1", "a", 2);
    take("a2", "a", 2);
    take("b1", "b", 2);

    FairShareState state = awaitState(s -> s.holders().size() == 2);

    assertThat(state.holders()).isEqualTo(Map.of("a1", "a", "a2", "a"));
    assertThat(state.waiting()).isEqualTo(Map.of("b", List.of("b1")));
  }

  @Test
  void aWaitingGenerationThatGivesUpLeavesTheQueue() {
    take("a1", "a", 1);
    take("a2", "a", 1);
    awaitState(s -> s.waiting().containsKey("a"));

    dispatcher().release("a2");

    assertThat(awaitState(s -> s.waiting().isEmpty()).holders()).containsOnlyKeys("a1");
  }

  @Test
  void aTurnHolderThatEndedWithoutHandingBackIsFoundAndItsTurnPassesOn() {
    take("a1", "a", 1);
    take("b1", "b", 1);
    awaitState(s -> s.holders().containsKey("a1") && s.waiting().containsKey("b"));

    client.newUntypedWorkflowStub("a1").terminate("crashed without releasing");
    env.sleep(FairShareWorkflowImpl.HOLDER_CHECK.plusSeconds(5));

    assertThat(awaitState(s -> s.holders().containsKey("b1")).holders()).containsOnlyKeys("b1");
  }

  @Test
  void aTurnGrantedToAGenerationThatHasEndedGoesToTheNextOne() {
    take("a1", "a", 1);
    take("a2", "a", 1);
    take("a3", "a", 1);
    awaitState(s -> s.waiting().getOrDefault("a", List.of()).size() == 2);
    client.newUntypedWorkflowStub("a2").terminate("gave up while waiting");

    client.newWorkflowStub(TurnTaker.class, "a1").finish();

    assertThat(awaitState(s -> s.holders().containsKey("a3")).holders()).containsOnlyKeys("a3");
    assertThat(Set.of("a2")).doesNotContainAnyElementsOf(dispatcher().state().holders().keySet());
  }

  @Test
  void aRunThatStartsWithAHolderThatHasEndedPassesItsTurnOnWithoutWaitingForTheCheck() {
    FairShareWorkflow carried =
        client.newWorkflowStub(
            FairShareWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(FairShareWorkflow.workflowId(QUEUE))
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
    WorkflowClient.start(
        carried::dispatch,
        new FairShareState(Map.of(), Map.of(), Map.of("released-while-between-runs", "a"), 1));
    take("a2", "a", 1);

    assertThat(awaitState(s -> s.holders().containsKey("a2")).holders()).containsOnlyKeys("a2");
  }

  private void take(String generationId, String tenant, int window) {
    take(generationId, tenant, window, ++submissions);
  }

  private void take(String generationId, String tenant, int window, long submittedAtMillis) {
    TurnTaker taker =
        client.newWorkflowStub(
            TurnTaker.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(generationId)
                .setTaskQueue(TaskQueues.WORKFLOWS)
                .build());
    WorkflowClient.start(
        taker::take, new TurnRequest(QUEUE, generationId, tenant, window, submittedAtMillis));
    awaitState(
        s ->
            s.holders().containsKey(generationId)
                || s.waiting().getOrDefault(tenant, List.of()).contains(generationId));
  }

  private FairShareWorkflow dispatcher() {
    return client.newWorkflowStub(FairShareWorkflow.class, FairShareWorkflow.workflowId(QUEUE));
  }

  private FairShareState awaitState(Predicate<FairShareState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        FairShareState state = dispatcher().state();
        if (condition.test(state)) {
          return state;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the dispatcher never reached the expected state: " + state);
        }
      } catch (WorkflowNotFoundException notYetStarted) {
        if (System.nanoTime() > deadline) {
          throw notYetStarted;
        }
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
