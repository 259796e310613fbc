package dev.durablediffusion.workflows.fairshare;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Round-robin across tenants; within a tenant, oldest submission first. A turn lasts until its
 * generation releases it; a generation that ended without releasing (terminated) is found by a
 * check every minute while turns are held. The history is restarted, state carried, before it grows
 * long.
 */
public class FairShareWorkflowImpl implements FairShareWorkflow {

  static final int HISTORY_EVENTS_BEFORE_CONTINUE = 2_000;
  static final Duration HOLDER_CHECK = Duration.ofMinutes(1);

  /**
   * Since this change a run that starts with turn holders checks them at once: under a stream of
   * requests a run can continue as new before its minute's check is due, so a holder whose release
   * was lost (sent as it ended, while the dispatcher was between runs) was never found.
   */
  static final String CHECK_HOLDERS_AT_START = "check-holders-at-start";

  private final FairShareActivities activities =
      Workflow.newLocalActivityStub(
          FairShareActivities.class,
          LocalActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).build())
              .build());

  /** Iteration order is the round-robin order: a served tenant moves to the end. */
  private final Map<String, List<String>> waiting = new LinkedHashMap<>();

  private final Map<String, Long> submittedAt = new HashMap<>();
  private final Map<String, String> holders = new LinkedHashMap<>();

  /** Grant signals sent and not yet delivered: this run must not close before they are. */
  private final List<Promise<Object>> grantsInFlight = new ArrayList<>();

  private int window;
  private boolean changed;

  /**
   * The carried state is restored before any signal is handled: after continue-as-new, signals can
   * be delivered before the workflow method runs.
   */
  @WorkflowInit
  public FairShareWorkflowImpl(FairShareState state) {
    state.waiting().forEach((tenant, ids) -> waiting.put(tenant, new ArrayList<>(ids)));
    submittedAt.putAll(state.submittedAt());
    holders.putAll(state.holders());
    window = Math.max(1, state.window());
    changed = true;
  }

  @Override
  public void dispatch(FairShareState state) {
    if (!holders.isEmpty()
        && Workflow.getVersion(CHECK_HOLDERS_AT_START, Workflow.DEFAULT_VERSION, 1) == 1) {
      dropEndedHolders();
    }
    Promise<Void> holderCheck = null;
    while (true) {
      if (holderCheck == null && !holders.isEmpty()) {
        holderCheck = Workflow.newTimer(HOLDER_CHECK);
      }
      Promise<Void> check = holderCheck;
      Workflow.await(() -> changed || (check != null && check.isCompleted()));
      if (check != null && check.isCompleted()) {
        holderCheck = null;
        dropEndedHolders();
      }
      changed = false;
      grant();
      grantsInFlight.removeIf(Promise::isCompleted);
      if (Workflow.getInfo().getHistoryLength() > HISTORY_EVENTS_BEFORE_CONTINUE) {
        Promise.allOf(grantsInFlight).get();
        Workflow.await(Workflow::isEveryHandlerFinished);
        Workflow.continueAsNew(state());
      }
    }
  }

  @Override
  public void request(TurnRequest request) {
    window = Math.max(1, request.window());
    String id = request.generationId();
    if (holders.containsKey(id)) {
      sendGrant(id);
      return;
    }
    List<String> queue = waiting.computeIfAbsent(request.tenantId(), t -> new ArrayList<>());
    if (!queue.contains(id)) {
      submittedAt.put(id, request.submittedAtMillis());
      int position = queue.size();
      while (position > 0
          && submittedAt.get(queue.get(position - 1)) > request.submittedAtMillis()) {
        position--;
      }
      queue.add(position, id);
    }
    changed = true;
  }

  @Override
  public void release(String generationId) {
    if (holders.remove(generationId) == null) {
      waiting.values().forEach(queue -> queue.remove(generationId));
      waiting.values().removeIf(List::isEmpty);
      submittedAt.remove(generationId);
    }
    changed = true;
  }

  @Override
  public FairShareState state() {
    Map<String, List<String>> queued = new LinkedHashMap<>();
    waiting.forEach((tenant, ids) -> queued.put(tenant, List.copyOf(ids)));
    return new FairShareState(queued, Map.copyOf(submittedAt), Map.copyOf(holders), window);
  }

  private void grant() {
    while (holders.size() < window && !waiting.isEmpty()) {
      String tenant = waiting.keySet().iterator().next();
      List<String> queue = waiting.remove(tenant);
      String id = queue.remove(0);
      submittedAt.remove(id);
      if (!queue.isEmpty()) {
        waiting.put(tenant, queue);
      }
      holders.put(id, tenant);
      sendGrant(id);
    }
  }

  /** A generation that has ended cannot take its turn: the turn goes back. */
  private void sendGrant(String generationId) {
    grantsInFlight.add(
        Async.procedure(
                Workflow.newUntypedExternalWorkflowStub(generationId)::signal,
                TURN_GRANTED,
                new Object[0])
            .handle(
                (ignored, failure) -> {
                  if (failure != null) {
                    release(generationId);
                  }
                  return null;
                }));
  }

  private void dropEndedHolders() {
    if (holders.isEmpty()) {
      return;
    }
    List<String> ended;
    try {
      ended = activities.ended(new ArrayList<>(holders.keySet()));
    } catch (ActivityFailure unreachable) {
      Workflow.getLogger(FairShareWorkflowImpl.class)
          .warn("could not tell which turn holders ended; next check in {}", HOLDER_CHECK);
      return;
    }
    ended.forEach(holders::remove);
    changed |= !ended.isEmpty();
  }
}
