package dev.durablediffusion.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.durablediffusion.api.generation.GenerationNotFoundException;
import dev.durablediffusion.api.generation.GenerationResource;
import dev.durablediffusion.api.generation.GenerationStatuses;
import dev.durablediffusion.api.limits.TooManyRequestsException;
import dev.durablediffusion.workflows.generation.GenerationState;
import dev.durablediffusion.workflows.generation.GenerationStatus;
import dev.durablediffusion.workflows.generation.Progress;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

class GenerationEventStreamsTest {

  private static final Duration POLL = Duration.ofMillis(20);

  private final Generations generations = new Generations();
  private final List<RecordingEmitter> emitters = new CopyOnWriteArrayList<>();
  private GenerationEventStreams streams = streams(100);

  @AfterEach
  void closeStreams() {
    streams.close();
  }

  @Test
  void fiftyStreamsOfOneGenerationReadItsStatusOnceToOpenAndOncePerPoll() throws Exception {
    generations.put("g1", GenerationState.DENOISING, 1);
    for (int i = 0; i < 50; i++) {
      streams.open("t1", "g1", 0);
    }
    assertThat(generations.openingReads.get()).isOne();
    generations.liveReads.set(0);

    Thread.sleep(POLL.toMillis() * 20);

    assertThat(streams.watchedGenerations()).isOne();
    assertThat(generations.liveReads.get()).isBetween(5, 25);
  }

  @Test
  void streamsOpenedOnAWatchedGenerationShareOneRenderingOfItsStatus() {
    streams.close();
    streams = streams(100, Duration.ofHours(1));
    generations.put("g1", GenerationState.DENOISING, 1);
    for (int i = 0; i < 20; i++) {
      streams.open("t1", "g1", 0);
    }

    assertThat(generations.renderings.get()).isOne();
    assertThat(emitters).allMatch(e -> e.names().equals(List.of("status")));
  }

  @Test
  void everyStreamGetsEachNewRevisionOnceAndTheEndClosesThemAll() throws Exception {
    generations.put("g1", GenerationState.DENOISING, 1);
    for (int i = 0; i < 3; i++) {
      streams.open("t1", "g1", 0);
    }
    generations.put("g1", GenerationState.DENOISING, 2);
    eventually(() -> emitters.stream().allMatch(e -> e.names().size() == 2));
    generations.put("g1", GenerationState.SUCCEEDED, 3);

    eventually(() -> emitters.stream().allMatch(RecordingEmitter::completed));
    for (RecordingEmitter emitter : emitters) {
      assertThat(emitter.names()).containsExactly("status", "progress", "end");
      assertThat(emitter.ids()).containsExactly("1", "2", "3");
    }
    eventually(() -> streams.watchedGenerations() == 0);
    assertThat(streams.openStreams("t1")).isZero();
  }

  @Test
  void aStreamOpenedAfterTheEndGetsTheEndAndStartsNoWatch() {
    generations.put("g1", GenerationState.SUCCEEDED, 7);

    streams.open("t1", "g1", 0);

    assertThat(emitters.get(0).names()).containsExactly("end");
    assertThat(emitters.get(0).completed()).isTrue();
    assertThat(streams.watchedGenerations()).isZero();
    assertThat(streams.openStreams("t1")).isZero();
  }

  @Test
  void aResumedStreamSkipsWhatItSawAndAClosedOneStopsTheWatch() throws Exception {
    generations.put("g1", GenerationState.DENOISING, 5);

    streams.open("t1", "g1", 5);
    assertThat(emitters.get(0).names()).isEmpty();
    assertThat(streams.watchedGenerations()).isOne();

    emitters.get(0).clientLeaves();

    eventually(() -> streams.watchedGenerations() == 0);
    assertThat(streams.openStreams("t1")).isZero();
  }

  @Test
  void aTenantAtItsLimitGets429UntilOneOfItsStreamsCloses() {
    streams.close();
    streams = streams(2);
    generations.put("g1", GenerationState.DENOISING, 1);
    streams.open("t1", "g1", 0);
    streams.open("t1", "g1", 0);

    assertThatThrownBy(() -> streams.open("t1", "g1", 0))
        .isInstanceOf(TooManyRequestsException.class)
        .extracting(e -> ((TooManyRequestsException) e).problemType())
        .isEqualTo("/problems/too-many-event-streams");
    streams.open("t2", "g2-of-t2", 0);

    emitters.get(0).clientLeaves();
    streams.open("t1", "g1", 0);
    assertThat(streams.openStreams("t1")).isEqualTo(2);
  }

  @Test
  void aRefusedOpenGivesItsPlaceBack() {
    streams.close();
    streams = streams(1);

    assertThatThrownBy(() -> streams.open("t1", "unknown", 0))
        .isInstanceOf(GenerationNotFoundException.class);
    assertThat(streams.openStreams("t1")).isZero();
  }

  @Test
  void aGenerationThatDisappearsEndsItsStreams() throws Exception {
    generations.put("g1", GenerationState.DENOISING, 1);
    streams.open("t1", "g1", 0);

    generations.remove("g1");

    eventually(() -> emitters.get(0).completed());
    eventually(() -> streams.watchedGenerations() == 0);
    assertThat(streams.openStreams("t1")).isZero();
  }

  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 5 s for the streams").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private GenerationEventStreams streams(int perTenant) {
    return streams(perTenant, POLL);
  }

  private GenerationEventStreams streams(int perTenant, Duration poll) {
    return new GenerationEventStreams(
        generations,
        poll,
        perTenant,
        2,
        () -> {
          RecordingEmitter emitter = new RecordingEmitter();
          emitters.add(emitter);
          return emitter;
        });
  }

  /** Generations of tenant t1, except ids ending in "-of-t2". */
  private static final class Generations implements GenerationReads {
    private final Map<String, GenerationStatus> statuses = new ConcurrentHashMap<>();
    private final AtomicInteger openingReads = new AtomicInteger();
    private final AtomicInteger liveReads = new AtomicInteger();
    private final AtomicInteger renderings = new AtomicInteger();

    void put(String id, GenerationState state, long revision) {
      statuses.put(
          id,
          GenerationStatuses.of(
              id.endsWith("-of-t2") ? "t2" : "t1",
              id,
              state,
              null,
              state == GenerationState.DENOISING ? new Progress(1, 10, 0, 0, null) : null,
              List.of(),
              revision));
    }

    void remove(String id) {
      statuses.remove(id);
    }

    @Override
    public GenerationStatus status(String tenant, String id) {
      if (id.endsWith("-of-t2") && !statuses.containsKey(id)) {
        put(id, GenerationState.DENOISING, 1);
      }
      openingReads.incrementAndGet();
      return read(tenant, id);
    }

    @Override
    public GenerationStatus liveStatus(String tenant, String id) {
      liveReads.incrementAndGet();
      return read(tenant, id);
    }

    private GenerationStatus read(String tenant, String id) {
      GenerationStatus status = statuses.get(id);
      if (status == null || !status.tenantId().equals(tenant)) {
        throw new GenerationNotFoundException(id);
      }
      return status;
    }

    @Override
    public GenerationResource resource(GenerationStatus s) {
      renderings.incrementAndGet();
      return new GenerationResource(
          s.generationId(),
          s.state().name(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
  }

  /** What a client of the stream would read; {@link #clientLeaves} is a dropped connection. */
  private static final class RecordingEmitter extends SseEmitter {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<Runnable> onCompletion = new AtomicReference<>();
    private volatile boolean completed;

    @Override
    public void send(SseEventBuilder builder) throws IOException {
      StringBuilder text = new StringBuilder();
      for (DataWithMediaType part : builder.build()) {
        if (part.getData() instanceof String s) {
          text.append(s);
        }
      }
      events.add(text.toString());
    }

    @Override
    public void onCompletion(Runnable callback) {
      onCompletion.set(callback);
    }

    @Override
    public void complete() {
      completed = true;
    }

    void clientLeaves() {
      onCompletion.get().run();
    }

    boolean completed() {
      return completed;
    }

    List<String> names() {
      return field("event:");
    }

    List<String> ids() {
      return field("id:");
    }

    private List<String> field(String prefix) {
      List<String> values = new ArrayList<>();
      for (String event : events) {
        for (String line : event.split("\n")) {
          if (line.startsWith(prefix)) {
            values.add(line.substring(prefix.length()));
          }
        }
      }
      return values;
    }
  }
}
