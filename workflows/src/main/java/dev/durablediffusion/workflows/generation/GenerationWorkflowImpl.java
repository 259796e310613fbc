package dev.durablediffusion.workflows.generation;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/**
 * The generation as a business process: validate, take a GPU turn, denoise on a warm host, upscale,
 * store, and tell the webhook at each end. The activities do the side effects; the workflow's
 * {@link GenerationRecord} is the state every status is read from. Timeouts and retries per stage
 * are in {@link StageOptions}, with their reasons in docs/workflow.md.
 */
public class GenerationWorkflowImpl implements GenerationWorkflow {

  /**
   * From version 1 the store step only stores the images, and a success is closed out like every
   * other ending, with the final status the workflow built; earlier histories replay the store step
   * that also closed out.
   */
  static final String FINAL_STATUS_FROM_WORKFLOW = "final-status-from-workflow";

  private final ValidateActivities validation =
      Workflow.newLocalActivityStub(ValidateActivities.class, StageOptions.validate());
  private final StoreActivities storage =
      Workflow.newActivityStub(StoreActivities.class, StageOptions.storage());
  private final LanczosUpscaleActivities lanczos =
      Workflow.newActivityStub(LanczosUpscaleActivities.class, StageOptions.lanczosUpscale());

  private final GenerationRecord record = new GenerationRecord();
  private final GpuTurn gpuTurn = new GpuTurn();
  private final WarmHostDenoise denoise = new WarmHostDenoise(record);
  private final GenerationWebhooks webhooks = new GenerationWebhooks(record);

  @Override
  public GenerationStatus generate(GenerationRequest request) {
    record.begin(request);
    try {
      record.planned(record.during(GenerationState.VALIDATING, () -> validation.validate(request)));
      webhooks.notify("started");
      DenoiseResult denoised = gpuTurn.during(record, denoise::run);
      record.denoised(denoised);
      List<ImageRef> images =
          record.plan().upscale() == null ? denoised.images() : upscaled(denoised.images());
      store(images);
      webhooks.notify("completed");
      return record.status();
    } catch (TemporalFailure failure) {
      if (GenerationFailures.isCancel(failure)) {
        Workflow.newDetachedCancellationScope(
                () -> {
                  closeOut(GenerationState.CANCELED);
                  webhooks.notify("canceled");
                })
            .run();
        throw failure instanceof CanceledFailure c ? c : new CanceledFailure("generation canceled");
      }
      GenerationError error = GenerationFailures.describe(failure);
      record.failedWith(error);
      Workflow.newDetachedCancellationScope(() -> closeOut(GenerationState.FAILED)).run();
      webhooks.notify("failed");
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          error.message(), error.type(), failure, error);
    }
  }

  /** Images stored are the success a client is promised: a cancel no longer undoes it. */
  private void store(List<ImageRef> images) {
    if (Workflow.getVersion(FINAL_STATUS_FROM_WORKFLOW, Workflow.DEFAULT_VERSION, 1) == 1) {
      record.storedImages(storage.storeImages(record.storing(images)));
      Workflow.newDetachedCancellationScope(() -> closeOut(GenerationState.SUCCEEDED)).run();
    } else {
      record.stored(storage.store(record.storing(images), record.succeeding()));
    }
  }

  private List<ImageRef> upscaled(List<ImageRef> images) {
    UpscaleResult result = record.during(GenerationState.UPSCALING, () -> upscale(images));
    record.upscaled(result);
    return result.images();
  }

  private UpscaleResult upscale(List<ImageRef> images) {
    GenerationPlan plan = record.plan();
    UpscaleInput input = new UpscaleInput(record.generationId(), images, plan.upscale());
    if (plan.upscale().lanczos()) {
      return lanczos.upscaleLanczos(input);
    }
    ModelUpscaleActivities gpu =
        Workflow.newActivityStub(
            ModelUpscaleActivities.class,
            StageOptions.modelUpscale(plan.settings().gpuTaskQueue(), record.tenantId()));
    return gpu.upscaleWithModel(input);
  }

  /**
   * Closes out storage first, so a client that sees the end also finds it in the listing, and the
   * final status outlives the workflow's history.
   */
  private void closeOut(GenerationState terminal) {
    GenerationOutcome outcome = record.endingNow(terminal);
    storage.closeOut(outcome);
    record.ended(outcome);
  }

  @Override
  public GenerationStatus status() {
    return record.status();
  }

  @Override
  public void gpuTurnGranted() {
    gpuTurn.granted();
  }

  @Override
  public void reportProgress(Progress update) {
    record.progressed(update);
  }
}
