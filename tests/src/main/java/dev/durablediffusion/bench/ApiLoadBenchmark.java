package dev.durablediffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The public API under load on loopback, with the platform's default limits: a burst of submissions
 * from several tenants (how many are accepted, refused with 429 and Retry-After, or fail with 5xx,
 * and whether every accepted one finishes), then status reads from many concurrent pollers while
 * event streams stay open (latency percentiles). Prints Markdown tables.
 *
 * <p>Arguments, all optional, as {@code --name value}: {@code --submissions N} (500), {@code
 * --tenants N} (10), {@code --pollers N} (200), {@code --streams N} (50), {@code --seconds N} (20,
 * how long the pollers run), {@code --steps N} (2), {@code --limits default|off} (default; {@code
 * off} lifts the per-tenant rate, burst and in-flight limits and admission control, so every
 * submission reaches the Temporal server).
 */
public final class ApiLoadBenchmark {

  private static final Set<String> FLAGS =
      Set.of("submissions", "tenants", "pollers", "streams", "seconds", "steps", "limits");
  private static final Map<String, String> NO_LIMITS =
      Map.of(
          "dd.api.submissions-per-second", "100000",
          "dd.api.submission-burst", "100000",
          "dd.api.max-in-flight", "100000",
          "dd.api.admission.max-interactive-backlog", "0");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

  private final HttpClient http =
      HttpClient.newBuilder()
          .executor(Executors.newFixedThreadPool(16))
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;

  private ApiLoadBenchmark(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public static void main(String[] args) throws Exception {
    CommandLineFlags flags = CommandLineFlags.parse(args, FLAGS);
    int tenants = flags.integer("tenants", 10);
    String keys =
        IntStream.range(0, tenants)
            .mapToObj(t -> "tenant" + t + ":load-key-" + t)
            .collect(Collectors.joining(","));
    Path data = TemporaryDirectory.create("dd-api-load");
    String limits = flags.text("limits", "default");
    Map<String, String> properties = new HashMap<>(Map.of("dd.api.keys", keys));
    if (limits.equals("off")) {
      properties.putAll(NO_LIMITS);
    } else if (!limits.equals("default")) {
      throw new IllegalArgumentException("--limits is default or off, not '" + limits + "'");
    }
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(data, null, properties)) {
      ApiLoadBenchmark bench = new ApiLoadBenchmark(platform.apiPort());
      System.out.printf(
          "# API load benchmark: embedded default, loopback, %s limits; %s; %s%n",
          limits, platform.temporalDescription(), MachineLoad.describe());
      List<Accepted> accepted =
          bench.burst(flags.integer("submissions", 500), tenants, flags.integer("steps", 2));
      bench.polling(
          accepted,
          tenants,
          flags.integer("pollers", 200),
          flags.integer("streams", 50),
          flags.integer("seconds", 20));
    }
    System.exit(0);
  }

  private record Accepted(String id, String key) {}

  private List<Accepted> burst(int submissions, int tenants, int steps) throws Exception {
    String body = "{\"prompt\": \"a red circle on a blue background\", \"steps\": " + steps + "}";
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    List<Accepted> accepted = Collections.synchronizedList(new ArrayList<>());
    int[] withoutRetryAfter = new int[1];
    ExecutorService clients = Executors.newFixedThreadPool(64);
    long start = System.nanoTime();
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < submissions; i++) {
      String key = "load-key-" + (i % tenants);
      sent.add(
          clients.submit(
              () -> {
                HttpResponse<String> response = post("/v1/generations", key, body);
                String outcome =
                    response.statusCode() == 429
                        ? "429 " + JSON.readTree(response.body()).get("type").asText()
                        : Integer.toString(response.statusCode());
                outcomes.merge(outcome, 1, Integer::sum);
                if (response.statusCode() == 202) {
                  accepted.add(
                      new Accepted(JSON.readTree(response.body()).get("id").asText(), key));
                } else if (response.statusCode() == 429
                    && response.headers().firstValue("Retry-After").isEmpty()) {
                  synchronized (withoutRetryAfter) {
                    withoutRetryAfter[0]++;
                  }
                }
                return null;
              }));
    }
    for (Future<?> future : sent) {
      future.get();
    }
    double submitSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, Integer> ends = new TreeMap<>();
    for (Accepted generation : accepted) {
      ends.merge(awaitEnd(generation, Duration.ofMinutes(10)), 1, Integer::sum);
    }
    double drainSeconds = (System.nanoTime() - start) / 1e9;
    clients.shutdown();
    System.out.printf(
        "%n## Burst: %d submissions from %d tenants, 64 concurrent connections%n%n",
        submissions, tenants);
    System.out.println("| answer | count |");
    System.out.println("| --- | --- |");
    new TreeMap<>(outcomes).forEach((k, v) -> System.out.printf("| %s | %d |%n", k, v));
    System.out.printf(
        "%nAll submissions answered in %.1f s; 429s without Retry-After: %d; accepted"
            + " generations by final status: %s; all ended %.1f s after the first submission.%n",
        submitSeconds, withoutRetryAfter[0], ends, drainSeconds);
    return accepted;
  }

  private void polling(
      List<Accepted> generations, int tenants, int pollers, int streams, int seconds)
      throws Exception {
    List<Accepted> running = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      String key = "load-key-" + (i % tenants);
      HttpResponse<String> response =
          post(
              "/v1/generations",
              key,
              "{\"prompt\": \"a blue square on a white background\", \"steps\": 150,"
                  + " \"priority\": \"batch\"}");
      if (response.statusCode() == 202) {
        running.add(new Accepted(JSON.readTree(response.body()).get("id").asText(), key));
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    int[] eventsSeen = new int[1];
    for (Accepted generation : running) {
      Thread thread =
          new Thread(
              () -> {
                try (InputStream in =
                    http.send(
                            request(
                                    "/v1/generations/" + generation.id() + "/events",
                                    generation.key())
                                .GET()
                                .build(),
                            HttpResponse.BodyHandlers.ofInputStream())
                        .body()) {
                  byte[] buffer = new byte[8192];
                  int n;
                  while (!stop.get() && (n = in.read(buffer)) >= 0) {
                    synchronized (eventsSeen) {
                      eventsSeen[0] += countEvents(buffer, n);
                    }
                  }
                } catch (Exception ignored) {
                  // the stream ends when the benchmark stops
                }
              });
      thread.setDaemon(true);
      thread.start();
    }
    List<Accepted> targets = generations.isEmpty() ? running : generations;
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(pollers);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < pollers; p++) {
      int poller = p;
      done.add(
          pool.submit(
              () -> {
                int i = poller;
                while (System.nanoTime() < end) {
                  Accepted target = targets.get(i++ % targets.size());
                  long t0 = System.nanoTime();
                  HttpResponse<String> response =
                      http.send(
                          request("/v1/generations/" + target.id(), target.key()).GET().build(),
                          HttpResponse.BodyHandlers.ofString());
                  latencies.add((System.nanoTime() - t0) / 1e6);
                  statuses.merge(response.statusCode(), 1, Integer::sum);
                }
                return null;
              }));
    }
    for (Future<?> future : done) {
      future.get();
    }
    stop.set(true);
    pool.shutdown();
    Distribution d = new Distribution(latencies);
    System.out.printf(
        "%n## GET /v1/generations/{id}: %d pollers for %d s, %d event streams open%n%n",
        pollers, seconds, running.size());
    System.out.println("| requests | per second | p50 ms | p99 ms | max ms | statuses |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    System.out.printf(
        "| %d | %.0f | %.1f | %.1f | %.1f | %s |%n",
        latencies.size(),
        latencies.size() / (double) seconds,
        d.percentile(50),
        d.percentile(99),
        d.max(),
        new TreeMap<>(statuses));
    System.out.printf("%nEvents received on the open streams: %d%n", eventsSeen[0]);
    for (Accepted generation : running) {
      post("/v1/generations/" + generation.id() + "/cancel", generation.key(), "");
    }
  }

  private static int countEvents(byte[] buffer, int length) {
    int count = 0;
    for (int i = 0; i + 5 < length; i++) {
      if (buffer[i] == 'e' && new String(buffer, i, 6).equals("event:")) {
        count++;
      }
    }
    return count;
  }

  private String awaitEnd(Accepted generation, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              request("/v1/generations/" + generation.id(), generation.key()).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        JsonNode status = JSON.readTree(response.body()).get("status");
        if (TERMINAL.contains(status.asText())) {
          return status.asText();
        }
      }
      Thread.sleep(250);
    }
    return "not ended in " + timeout;
  }

  private HttpResponse<String> post(String path, String key, String body) throws Exception {
    return http.send(
        request(path, key)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key);
  }
}
