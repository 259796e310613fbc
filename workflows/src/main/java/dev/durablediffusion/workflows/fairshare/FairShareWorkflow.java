package dev.durablediffusion.workflows.fairshare;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Hands out turns on one GPU queue: at most a window of generations at once, the next turn to the
 * next tenant in round-robin order, each tenant's own requests first come first served. A
 * long-lived workflow per GPU queue, started by the first request.
 */
@WorkflowInterface
public interface FairShareWorkflow {

  /** The signal a requester receives when its turn begins. */
  String TURN_GRANTED = "gpuTurnGranted";

  static String workflowId(String gpuQueue) {
    return "fair-share/" + gpuQueue;
  }

  @WorkflowMethod
  void dispatch(FairShareState state);

  @SignalMethod
  void request(TurnRequest request);

  /** The turn is over, or no longer wanted; unknown ids are ignored. */
  @SignalMethod
  void release(String generationId);

  @QueryMethod
  FairShareState state();
}
