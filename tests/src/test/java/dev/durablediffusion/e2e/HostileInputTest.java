package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What an attacker sends from outside: mistyped and duplicated JSON, an upscaler named as the
 * model, two credentials, requests that are not well-formed HTTP, and bodies trickled a byte at a
 * time on more connections than the server has request threads, more event streams than a tenant
 * may hold.
 */
class HostileInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUEST_THREADS = 12;
  private static final int PER_TENANT = 4;
  private static final int STREAMS_PER_TENANT = 3;

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.with(
          Map.of(
              "dd.api.keys", "typist:key-t,trickler:key-s,bystander:key-b,fuzzer:key-f,watcher:key-w",
              "dd.api.submission-burst", 1000,
              "server.tomcat.threads.max", REQUEST_THREADS,
              "dd.api.max-concurrent-requests", PER_TENANT,
              "dd.api.body-read-timeout", "2s",
              "dd.api.max-event-streams", STREAMS_PER_TENANT));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"prompt\":123}|prompt",
        "{\"prompt\":true}|prompt",
        "{\"prompt\":\"p\",\"steps\":\"4\"}|steps",
        "{\"prompt\":\"p\",\"steps\":4.7}|steps",
        "{\"prompt\":\"p\",\"seed\":1.5}|seed",
        "{\"prompt\":\"p\",\"steps\":99999,\"steps\":4}|steps",
        "{\"prompt\":\"p\"} trailing|body",
        "{\"prompt\":\"p\",\"model\":\"tiny-upscaler-x4\"}|model",
      })
  void aBodyThatIsNotWhatItShouldBeIsRefusedByFieldAndStartsNothing(String body, String field) {
    ApiClient typist = new ApiClient(platform.port(), "key-t");

    ApiClient.Response response = typist.post("/v1/generations", body, null);

    assertThat(response.status()).as(body).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
    assertThat(typist.get("/v1/generations").json().get("data")).isEmpty();
  }

  /**
   * Seeded mutations of a valid body (bytes flipped, cut, repeated; values swapped for other JSON
   * types; deep nesting): none may get a 5xx, and exactly the accepted ones start a generation.
   */
  @Test
  void fuzzedBodiesNeverGetAServerErrorAndOnlyAcceptedOnesStartWork() {
    ApiClient fuzzer = new ApiClient(platform.port(), "key-f");
    BodyFuzzer bodies = new BodyFuzzer(20261202L);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String body = bodies.next();
      ApiClient.Response response = fuzzer.post("/v1/generations", body, null);
      assertThat(response.status()).as(body).isLessThan(500);
      assertThat(response.contentType()).as(body).startsWith(
          response.status() == 202 ? "application/json" : "application/problem+json");
      if (response.status() == 202) {
        accepted.add(response.json().get("id").asText());
      }
    }
    List<String> started = new ArrayList<>();
    fuzzer.get("/v1/generations?limit=100").json().get("data")
        .forEach(g -> started.add(g.get("id").asText()));
    assertThat(started).containsExactlyInAnyOrderElementsOf(accepted);
  }

  @Test
  void twoAuthorizationHeadersAreOneTooMany() throws Exception {
    Raw answer =
        Raw.send(
            "POST /v1/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key-t\r\n"
                + "Authorization: Bearer key-b\r\nContent-Type: application/json\r\n"
                + "Content-Length: 15\r\nConnection: close\r\n\r\n{\"prompt\":\"p\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("errors").get(0).get("field").asText())
        .isEqualTo("Authorization");
    assertThat(new ApiClient(platform.port(), "key-b").get("/v1/generations").json().get("data"))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET /v1/generations/{id} HTTP/1.1|400",
        "GET /v1/gen<script> HTTP/1.1|400",
        "DELETE /v1/generations HTTP/1.1|405",
        "GET /v1/no-such-thing HTTP/1.1|404",
        "GET /no-such-page HTTP/1.1|404",
      })
  void everyErrorIsAProblemDocumentWhateverTheClientAccepts(String requestLine, int status)
      throws Exception {
    Raw answer =
        Raw.send(
            requestLine
                + "\r\nHost: x\r\nAuthorization: Bearer key-t\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n");

    assertThat(answer.status()).as(requestLine).isEqualTo(status);
    assertThat(answer.contentType()).as(requestLine).startsWith("application/problem+json");
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
    assertThat(answer.body()).doesNotContain("Tomcat", "Exception", "<html");
    if (status == 405) {
      assertThat(answer.head()).containsIgnoringCase("Allow: ");
    }
  }

  @Test
  void bodiesTrickledOnMoreConnectionsThanThreadsLeaveTheApiAnswering() throws Exception {
    int connections = REQUEST_THREADS * 2;
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      List<Future<Raw>> trickles = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        String key = i % 3 == 0 ? "no-such-key" : "key-s";
        trickles.add(pool.submit(() -> Raw.trickle(key, 4000, Duration.ofMillis(500))));
      }
      Thread.sleep(1000);

      ApiClient bystander = new ApiClient(platform.port(), "key-b");
      for (int i = 0; i < 5; i++) {
        long started = System.nanoTime();
        assertThat(bystander.get("/v1/generations").status()).isEqualTo(200);
        assertThat(bystander.get("/actuator/health").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        Thread.sleep(500);
      }

      List<Integer> statuses = new ArrayList<>();
      for (Future<Raw> trickle : trickles) {
        statuses.add(trickle.get(30, TimeUnit.SECONDS).status());
      }
      assertThat(statuses).allMatch(s -> s == 401 || s == 408 || s == 429);
      assertThat(statuses).contains(401, 408, 429);
      assertThat(new ApiClient(platform.port(), "key-s").get("/v1/generations").json().get("data"))
          .isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTenantHoldingItsEventStreamsGets429ForOneMoreUntilTheyEnd() throws Exception {
    ApiClient watcher = new ApiClient(platform.port(), "key-w");
    String id =
        watcher
            .post("/v1/generations", "{\"prompt\":\"a red circle\",\"steps\":150}", null)
            .json()
            .get("id")
            .asText();
    HttpClient http = HttpClient.newHttpClient();
    List<InputStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < STREAMS_PER_TENANT; i++) {
        HttpResponse<InputStream> stream =
            http.send(eventsOf(id), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        streams.add(stream.body());
      }

      HttpResponse<String> refused = http.send(eventsOf(id), HttpResponse.BodyHandlers.ofString());

      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("content-type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      assertThat(JSON.readTree(refused.body()).get("type").asText())
          .isEqualTo("/problems/too-many-event-streams");

      assertThat(watcher.post("/v1/generations/" + id + "/cancel", "", null).status())
          .isEqualTo(202);
      for (InputStream stream : streams) {
        assertThat(new String(stream.readAllBytes(), StandardCharsets.UTF_8))
            .contains("event:end");
      }
      EventStreamClient.Result afterTheEnd =
          new EventStreamClient(platform.port(), "key-w")
              .read("/v1/generations/" + id + "/events", null, Duration.ofSeconds(30));
      assertThat(afterTheEnd.status()).isEqualTo(200);
      assertThat(afterTheEnd.events()).extracting(EventStreamClient.Event::name)
          .containsExactly("end");
    } finally {
      for (InputStream stream : streams) {
        stream.close();
      }
    }
  }

  private static HttpRequest eventsOf(String id) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + platform.port() + "/v1/generations/" + id + "/events"))
        .header("Accept", "text/event-stream")
        .header("Authorization", "Bearer key-w")
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  /** One HTTP exchange on a raw socket, for what an HTTP client library would refuse to send. */
  private record Raw(String head, String body) {

    static Raw send(String request) throws IOException {
      try (Socket socket = new Socket("127.0.0.1", platform.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        return read(socket.getInputStream());
      }
    }

    /** Declares a body of {@code length} bytes, then sends one byte per {@code gap}. */
    static Raw trickle(String key, int length, Duration gap) throws IOException {
      try (Socket socket = new Socket("127.0.0.1", platform.port())) {
        socket.setSoTimeout(100);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /v1/generations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + length
                    + "\r\n\r\n{")
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        for (int sent = 1; sent < length; sent++) {
          try {
            int first = in.read();
            if (first >= 0) {
              socket.setSoTimeout(10_000);
              return read(in, (char) first);
            }
          } catch (SocketTimeoutException stillWaiting) {
            out.write(' ');
            out.flush();
          }
          sleep(gap);
        }
        throw new AssertionError("the whole trickled body was read without an answer");
      }
    }

    private static void sleep(Duration gap) {
      try {
        Thread.sleep(gap.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    private static Raw read(InputStream in) throws IOException {
      return read(in, null);
    }

    private static Raw read(InputStream in, Character first) throws IOException {
      String text =
          (first == null ? "" : first.toString())
              + new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      return split < 0 ? new Raw(text, "") : new Raw(text.substring(0, split), body(text, split));
    }

    private static String body(String text, int split) {
      String head = text.substring(0, split).toLowerCase();
      String rest = text.substring(split + 4);
      if (!head.contains("transfer-encoding: chunked")) {
        return rest;
      }
      StringBuilder body = new StringBuilder();
      while (!rest.isEmpty()) {
        int eol = rest.indexOf("\r\n");
        int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
        if (size == 0) {
          break;
        }
        body.append(rest, eol + 2, eol + 2 + size);
        rest = rest.substring(eol + 2 + size + 2);
      }
      return body.toString();
    }

    int status() {
      return Integer.parseInt(head.split(" ", 3)[1]);
    }

    String contentType() {
      return head.lines()
          .filter(line -> line.toLowerCase().startsWith("content-type:"))
          .map(line -> line.substring("content-type:".length()).trim())
          .findFirst()
          .orElse("");
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }
}
