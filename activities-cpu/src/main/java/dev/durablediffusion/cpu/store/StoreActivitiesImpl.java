package dev.durablediffusion.cpu.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.durablediffusion.model.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.telemetry.CurrentTrace;
import dev.durablediffusion.workflows.generation.GenerationOutcome;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.StorageLayout;
import dev.durablediffusion.workflows.generation.StoreActivities;
import dev.durablediffusion.workflows.generation.StoreInput;
import dev.durablediffusion.workflows.generation.StoreResult;
import dev.durablediffusion.workflows.generation.StoredImages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves finished images from the work area to the outputs area, next to a provenance record, and
 * closes generations out. Keys are fixed by the generation, so a retried store overwrites instead
 * of duplicating.
 */
public class StoreActivitiesImpl implements StoreActivities {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .findAndRegisterModules();

  private final ObjectStore store;
  private final GenerationIndex index;
  private final MeterRegistry registry;
  private final Clock clock;

  public StoreActivitiesImpl(
      ObjectStore store, GenerationIndex index, MeterRegistry registry, Clock clock) {
    this.store = store;
    this.index = index;
    this.registry = registry;
    this.clock = clock;
  }

  @Override
  public StoredImages storeImages(StoreInput input) {
    long start = System.nanoTime();
    GenerationPlan plan = input.plan();
    List<ImageRef> outputs = new ArrayList<>();
    for (int i = 0; i < input.images().size(); i++) {
      ImageRef work = input.images().get(i);
      String ref = StorageLayout.output(plan.tenantId(), plan.generationId(), i);
      copy(work, ObjectRef.parse(ref));
      outputs.add(new ImageRef(ref, work.width(), work.height(), work.seed(), work.sha256()));
    }
    ObjectRef provenance =
        ObjectRef.parse(StorageLayout.provenance(plan.tenantId(), plan.generationId()));
    if (!store.exists(provenance)) {
      store.put(provenance, json(provenance(input, outputs)), "application/json");
    }
    Counter.builder("dd.images.stored")
        .description("finished images written to the outputs area")
        .tag("model", plan.model())
        .register(registry)
        .increment(outputs.size());
    return new StoredImages(outputs, (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public StoreResult store(StoreInput input, GenerationOutcome succeeded) {
    StoredImages stored = storeImages(input);
    GenerationStatus status = succeeded.finalStatus();
    long end = clock.millis();
    Map<String, Long> timings = new LinkedHashMap<>(status.timingsMillis());
    timings.put("storing", stored.executionMillis());
    timings.merge("activities", stored.executionMillis(), Long::sum);
    timings.put("total", end - status.createdAtMillis());
    GenerationStatus ended = status.ended(stored.outputs(), end, timings);
    close(succeeded.ended(ended));
    return new StoreResult(stored.outputs(), stored.executionMillis(), ended);
  }

  /**
   * Copies one image from the work area, checked against the digest the denoise recorded. A retry
   * that finds the work copy gone (this step had already closed out) accepts the output that is
   * there with that digest.
   */
  private void copy(ImageRef work, ObjectRef output) {
    Optional<byte[]> png = store.get(ObjectRef.parse(work.ref()));
    if (png.isEmpty()) {
      byte[] stored =
          store
              .get(output)
              .orElseThrow(
                  () -> new IllegalStateException(work.ref() + " is missing from the work area"));
      if (!Digests.sha256(stored).equals(work.sha256())) {
        throw new IllegalStateException(
            work.ref() + " is gone and " + output + " does not match its checksum");
      }
      return;
    }
    if (!Digests.sha256(png.get()).equals(work.sha256())) {
      throw new IllegalStateException(
          work.ref() + " does not match the checksum the denoise step recorded");
    }
    store.put(output, png.get(), PngCodec.CONTENT_TYPE);
  }

  private Provenance provenance(StoreInput input, List<ImageRef> outputs) {
    GenerationPlan plan = input.plan();
    return new Provenance(
        plan.generationId(),
        plan.prompt(),
        plan.negativePrompt(),
        plan.model(),
        input.modelDigest(),
        plan.sampler(),
        plan.eta(),
        plan.steps(),
        plan.guidanceScale(),
        plan.seed(),
        plan.width(),
        plan.height(),
        plan.upscale(),
        input.promptTruncated(),
        input.negativePromptTruncated(),
        input.timingsMillis(),
        outputs,
        initImage(plan),
        input.gpuHosts(),
        input.resumedFromStep(),
        CurrentTrace.traceId().orElse(null));
  }

  private Provenance.InitImage initImage(GenerationPlan plan) {
    if (plan.initImageRef() == null) {
      return null;
    }
    String sha256 =
        store.get(ObjectRef.parse(plan.initImageRef())).map(Digests::sha256).orElse(null);
    return new Provenance.InitImage(plan.initImageRef(), sha256, plan.strength());
  }

  private static byte[] json(Provenance provenance) {
    try {
      return JSON.writeValueAsBytes(provenance);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int closeOut(GenerationOutcome outcome) {
    return close(outcome);
  }

  /**
   * The work area goes first, so a client that reads the end finds nothing of the generation left
   * in it. A retry after the work area is gone still stores (see {@link #copy}) and records.
   */
  private int close(GenerationOutcome outcome) {
    int deleted =
        store.deletePrefix(StorageArea.WORK, StorageLayout.workPrefix(outcome.generationId()));
    index.recordOutcome(outcome);
    return deleted;
  }
}
