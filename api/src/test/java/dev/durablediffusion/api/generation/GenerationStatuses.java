package dev.durablediffusion.api.generation;

import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.Progress;
import java.util.List;
import java.util.Map;

/** Statuses of generations as a workflow would answer them, for tests of what reads them. */
public final class GenerationStatuses {

  private GenerationStatuses() {}

  public static GenerationStatus of(String tenant, String id, GenerationState state) {
    return of(tenant, id, state, null, null, List.of(), 0);
  }

  public static GenerationStatus of(
      String tenant,
      String id,
      GenerationState state,
      GenerationPlan plan,
      Progress progress,
      List<ImageRef> outputs,
      long revision) {
    return new GenerationStatus(
        id,
        tenant,
        state,
        progress,
        plan,
        outputs,
        null,
        Map.of(),
        false,
        false,
        null,
        null,
        null,
        null,
        1_000L,
        state.terminal() ? 2_000L : null,
        revision);
  }
}
