package dev.durablediffusion.cpu.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.durablediffusion.storage.Digests;
import dev.durablediffusion.storage.ObjectRef;
import dev.durablediffusion.storage.ObjectStore;
import dev.durablediffusion.storage.PngCodec;
import dev.durablediffusion.storage.StorageArea;
import dev.durablediffusion.storage.index.GenerationIndex;
import dev.durablediffusion.telemetry.CurrentTrace;
import dev.durablediffusion.workflows.generation.GenerationOutcome;
import dev.durablediffusion.workflows.generation.GenerationPlan;
import dev.durablediffusion.workflows.generation.ImageRef;
import dev.durablediffusion.workflows.generation.StorageLayout;
import dev.durablediffusion.workflows.generation.StoreActivities;
import dev.durablediffusion.workflows.generation.StoreInput;
import dev.durablediffusion.workflows.generation.StoreResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves finished images from the work area to the outputs area, next to a provenance record. Keys
 * are fixed by the generation, so a retried store overwrites instead of duplicating.
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

  public StoreActivitiesImpl(ObjectStore store, GenerationIndex index, MeterRegistry registry) {
    this.store = store;
    this.index = index;
    this.registry = registry;
  }

  @Override
  public StoreResult store(StoreInput input) {
    long start = System.nanoTime();
    GenerationPlan plan = input.plan();
    List<ImageRef> outputs = new ArrayList<>();
    for (int i = 0; i < input.images().size(); i++) {
      ImageRef work = input.images().get(i);
      byte[] png =
          store
              .get(ObjectRef.parse(work.ref()))
              .orElseThrow(
                  () -> new IllegalStateException(work.ref() + " is missing from the work area"));
      String sha256 = Digests.sha256(png);
      if (!sha256.equals(work.sha256())) {
        throw new IllegalStateException(
            work.ref() + " does not match the checksum the denoise step recorded");
      }
      String ref = StorageLayout.output(plan.tenantId(), plan.generationId(), i);
      store.put(ObjectRef.parse(ref), png, PngCodec.CONTENT_TYPE);
      outputs.add(new ImageRef(ref, work.width(), work.height(), work.seed(), sha256));
    }
    Provenance provenance =
        new Provenance(
            plan.generationId(),
            plan.prompt(),
            plan.negativePrompt(),
            plan.model(),
            input.modelDigest(),
            plan.sampler(),
            plan.steps(),
            plan.guidanceScale(),
            plan.seed(),
            plan.width(),
            plan.height(),
            plan.upscale(),
            input.promptTruncated(),
            input.timingsMillis(),
            outputs,
            initImage(plan),
            CurrentTrace.traceId().orElse(null));
    store.put(
        ObjectRef.parse(StorageLayout.provenance(plan.tenantId(), plan.generationId())),
        json(provenance),
        "application/json");
    Counter.builder("dd.images.stored")
        .description("finished images written to the outputs area")
        .tag("model", plan.model())
        .register(registry)
        .increment(outputs.size());
    return new StoreResult(outputs, (System.nanoTime() - start) / 1_000_000);
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
    int deleted =
        store.deletePrefix(StorageArea.WORK, StorageLayout.workPrefix(outcome.generationId()));
    index.recordOutcome(outcome);
    return deleted;
  }
}
