package dev.durablediffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What open event streams cost the GPU worker in the one-JVM embedded default: the denoise time of
 * a generation while another generation, queued behind it for the one GPU slot, has 0 or {@code
 * --streams} event streams open. The sides alternate, round by round, in one run. Prints a Markdown
 * table.
 *
 * <p>Arguments, all optional, as {@code --name value}: {@code --rounds N} (6 per side), {@code
 * --streams N} (50), {@code --steps N} (60, of the measured generation).
 */
public final class EventStreamBenchmark {

  private static final Set<String> FLAGS = Set.of("rounds", "streams", "steps");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "stream-bench-key";

  private final HttpClient http =
      HttpClient.newBuilder().executor(Executors.newCachedThreadPool()).build();
  private final String base;
  private final int steps;

  private EventStreamBenchmark(int port, int steps) {
    this.base = "http://127.0.0.1:" + port;
    this.steps = steps;
  }

  public static void main(String[] args) throws Exception {
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    int rounds = flags.integer("rounds", 6);
    int streams = flags.integer("streams", 50);
    Path data = TemporaryDirectory.create("dd-stream-bench");
    try (EmbeddedPlatform platform =
        EmbeddedPlatform.start(
            data,
            null,
            Map.of(
                "dd.api.keys", "watcher:" + KEY,
                "dd.api.max-event-streams", Integer.toString(streams + 1)))) {
      EventStreamBenchmark bench =
          new EventStreamBenchmark(platform.apiPort(), flags.integer("steps", 60));
      System.out.printf(
          "# Event streams beside a denoise: embedded default on %s; %s%n",
          platform.temporalDescription(), MachineLoad.describe());
      bench.denoiseMillis(0);
      Map<Integer, List<Double>> sides = new LinkedHashMap<>();
      sides.put(0, new ArrayList<>());
      sides.put(streams, new ArrayList<>());
      for (int round = 0; round < rounds; round++) {
        List<Integer> order = round % 2 == 0 ? List.of(0, streams) : List.of(streams, 0);
        for (int side : order) {
          sides.get(side).add(bench.denoiseMillis(side));
        }
      }
      print(sides, rounds, bench.steps);
    }
    System.exit(0);
  }

  private static void print(Map<Integer, List<Double>> sides, int rounds, int steps) {
    System.out.printf(
        "%n## Denoise of a %d-step generation (tiny-shapes, 64×64), %d runs per side%n%n",
        steps, rounds);
    System.out.println(
        "| streams open on the queued generation | denoise ms median | min | max | × no streams |");
    System.out.println("| --- | --- | --- | --- | --- |");
    double baseline = new Distribution(sides.get(0)).median();
    sides.forEach(
        (streams, millis) -> {
          Distribution d = new Distribution(millis);
          System.out.printf(
              "| %d | %.0f | %.0f | %.0f | %.2f |%n",
              streams, d.median(), d.min(), d.max(), d.median() / baseline);
        });
  }

  /**
   * Submits the measured generation and, behind it, the watched one; opens the streams on the
   * watched one; returns the measured generation's denoise time; then cancels the watched one.
   */
  private double denoiseMillis(int streams) throws Exception {
    String measured = submit(steps);
    String watched = submit(steps);
    ExecutorService readers = Executors.newCachedThreadPool();
    List<InputStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < streams; i++) {
        HttpResponse<InputStream> stream =
            http.send(
                request("/v1/generations/" + watched + "/events")
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() != 200) {
          throw new IllegalStateException("stream refused: " + stream.statusCode());
        }
        open.add(stream.body());
        readers.submit(() -> drain(stream.body()));
      }
      JsonNode ended = awaitEnd(measured);
      if (!"succeeded".equals(ended.get("status").asText())) {
        throw new IllegalStateException("measured generation ended " + ended);
      }
      JsonNode timings = ended.get("timings_ms");
      if (!timings.has("denoising")) {
        throw new IllegalStateException("no denoising time in " + timings);
      }
      return timings.get("denoising").asDouble();
    } finally {
      post("/v1/generations/" + watched + "/cancel", "");
      awaitEnd(watched);
      for (InputStream stream : open) {
        stream.close();
      }
      readers.shutdownNow();
    }
  }

  private static Void drain(InputStream stream) {
    try (stream) {
      stream.transferTo(OutputStream.nullOutputStream());
    } catch (IOException closed) {
      // the benchmark closes the stream when its side is done
    }
    return null;
  }

  private String submit(int generationSteps) throws Exception {
    HttpResponse<String> response =
        post(
            "/v1/generations",
            "{\"prompt\": \"a red circle on a blue background\", \"steps\": "
                + generationSteps
                + "}");
    if (response.statusCode() != 202) {
      throw new IllegalStateException("submission refused: " + response.body());
    }
    return JSON.readTree(response.body()).get("id").asText();
  }

  /** Reads the status twice a second: as cheap as one more stream, the same on both sides. */
  private JsonNode awaitEnd(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              request("/v1/generations/" + id).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode status = JSON.readTree(response.body());
      if (Set.of("succeeded", "failed", "canceled").contains(status.get("status").asText())) {
        return status;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(id + " did not end in 10 minutes");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + KEY);
  }
}
