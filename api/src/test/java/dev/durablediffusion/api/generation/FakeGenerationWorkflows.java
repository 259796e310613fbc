package dev.durablediffusion.api.generation;

import dev.durablediffusion.workflows.generation.GenerationRequest;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.webhook.DeliveryAttempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Generation workflows held in memory: what a use case started, queried and canceled. */
final class FakeGenerationWorkflows implements GenerationWorkflows {

  final List<GenerationRequest> started = new ArrayList<>();
  final List<String> queried = new ArrayList<>();
  final List<String> cancelRequests = new ArrayList<>();
  final Map<String, GenerationStatus> statuses = new HashMap<>();
  final Map<String, List<DeliveryAttempt>> deliveries = new HashMap<>();
  boolean reachable = true;

  void put(GenerationStatus status) {
    statuses.put(status.generationId(), status);
  }

  @Override
  public void requireReachable() {
    if (!reachable) {
      throw new TemporalUnavailableException();
    }
  }

  @Override
  public boolean start(GenerationRequest request) {
    requireReachable();
    if (statuses.containsKey(request.generationId())) {
      return false;
    }
    started.add(request);
    put(
        GenerationStatuses.of(
            request.tenantId(), request.generationId(), GenerationState.QUEUED));
    return true;
  }

  @Override
  public boolean exists(String generationId) {
    requireReachable();
    return statuses.containsKey(generationId);
  }

  @Override
  public Optional<GenerationStatus> status(String generationId) {
    requireReachable();
    queried.add(generationId);
    return Optional.ofNullable(statuses.get(generationId));
  }

  @Override
  public boolean awaitClose(String generationId, Duration wait) {
    requireReachable();
    GenerationStatus status = statuses.get(generationId);
    return status == null || status.state().terminal();
  }

  @Override
  public void requestCancel(String generationId) {
    cancelRequests.add(generationId);
  }

  @Override
  public Optional<List<DeliveryAttempt>> deliveryAttempts(String generationId, String event) {
    return Optional.ofNullable(deliveries.get(generationId + "/" + event));
  }
}
