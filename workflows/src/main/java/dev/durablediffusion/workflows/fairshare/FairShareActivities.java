package dev.durablediffusion.workflows.fairshare;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

@ActivityInterface
public interface FairShareActivities {

  /** Delivers the request to its queue's dispatcher, starting the dispatcher if none runs. */
  @ActivityMethod(name = "RequestGpuTurn")
  void requestTurn(TurnRequest request);

  /** The generations among these whose workflows have ended. */
  @ActivityMethod(name = "EndedGenerations")
  List<String> ended(List<String> generationIds);
}
