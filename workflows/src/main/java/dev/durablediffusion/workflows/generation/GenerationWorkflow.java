package dev.durablediffusion.workflows.generation;

import dev.durablediffusion.workflows.fairshare.FairShareWorkflow;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One generation: validate → prepare model → denoise → upscale → store → notify. */
@WorkflowInterface
public interface GenerationWorkflow {

  @WorkflowMethod
  GenerationStatus generate(GenerationRequest request);

  @QueryMethod
  GenerationStatus status();

  /** Sent by the running denoise step. */
  @SignalMethod
  void reportProgress(Progress progress);

  /** Sent by the GPU queue's fair-share dispatcher. */
  @SignalMethod(name = FairShareWorkflow.TURN_GRANTED)
  void gpuTurnGranted();
}
