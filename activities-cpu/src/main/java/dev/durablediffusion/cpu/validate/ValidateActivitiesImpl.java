package dev.durablediffusion.cpu.validate;

import dev.durablediffusion.cpu.CpuWorkerProperties;
import dev.durablediffusion.model.FieldError;
import dev.durablediffusion.model.ModelCatalog;
import dev.durablediffusion.workflows.generation.GenerationFailures;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.RequestValidation;
import dev.durablediffusion.workflows.generation.StageSettings;
import dev.durablediffusion.workflows.generation.ValidateActivities;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Applies the request rules, vets the webhook target against SSRF, draws a seed when none was
 * given, and fixes the stage settings of this deployment into the plan.
 */
public class ValidateActivitiesImpl implements ValidateActivities {

  private final ModelCatalog catalog;
  private final Function<String, List<FieldError>> webhookTargetCheck;
  private final CpuWorkerProperties properties;
  private final SecureRandom seeds = new SecureRandom();

  public ValidateActivitiesImpl(
      ModelCatalog catalog,
      Function<String, List<FieldError>> webhookTargetCheck,
      CpuWorkerProperties properties) {
    this.catalog = catalog;
    this.webhookTargetCheck = webhookTargetCheck;
    this.properties = properties;
  }

  @Override
  public GenerationPlan validate(GenerationRequest request) {
    List<FieldError> errors = new ArrayList<>(RequestValidation.check(request, catalog));
    if (errors.isEmpty() && request.webhook() != null) {
      errors.addAll(webhookTargetCheck.apply(request.webhook().url()));
    }
    if (!errors.isEmpty()) {
      throw GenerationFailures.invalidRequest(errors);
    }
    long seed = request.seed() != null ? request.seed() : seeds.nextLong(1L << 32);
    return RequestValidation.plan(request, catalog, seed, settings(request));
  }

  private StageSettings settings(GenerationRequest request) {
    String queue =
        "batch".equals(request.priority())
            ? properties.batchGpuQueue()
            : properties.interactiveGpuQueue();
    return new StageSettings(
        queue,
        properties.hostScheduleToStart(),
        properties.denoiseHeartbeat(),
        properties.webhookRetrySchedule(),
        properties.fairShareWindow());
  }
}
