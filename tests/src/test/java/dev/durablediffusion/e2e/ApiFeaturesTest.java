package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablediffusion.api.files.ImageUrlSigner;
import dev.durablediffusion.model.Digests;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listing, event streams, waiting submissions, signed image links, metadata and body limits. The
 * GPU worker here serves interactive work only, so a batch generation stays queued.
 */
class ApiFeaturesTest {

  private static final byte[] SIGNING_KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private static final Duration WAIT = Duration.ofMinutes(2);

  @RegisterExtension
  static final RunningPlatform platform =
      RunningPlatform.with(
          data -> {
            Path keyHashes = keyHashes(data);
            Files.writeString(keyHashes, "rotating:" + Digests.sha256("key-r".getBytes()) + "\n");
            return Map.of(
                "dd.api.keys",
                "lister:key-l,other:key-o,streamer:key-s,waiter:key-w,linker:key-k,limits:key-b,"
                    + "guarded:key-g,painter:key-p,injector:key-i",
                "dd.api.url-signing-key",
                Base64.getEncoder().encodeToString(SIGNING_KEY),
                "dd.api.key-hashes-file",
                keyHashes.toString(),
                "dd.api.key-reload-interval",
                "100ms",
                "dd.api.event-poll-interval",
                "50ms",
                "dd.gpu.task-queues",
                "gpu-interactive");
          });

  private static Path keyHashes(Path data) {
    return data.resolve("api-key-hashes");
  }

  private static ApiClient client(String key) {
    return new ApiClient(platform.port(), key);
  }

  @Test
  void listsTheTenantsGenerationsNewestFirstPageByPage() throws Exception {
    ApiClient lister = client("key-l");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          lister.submit(
              """
              {"prompt": "a red circle on a blue background", "steps": 2,
               "metadata": {"batch": "b%d"}}"""
                  .formatted(i)));
      Thread.sleep(5);
    }
    for (String id : ids) {
      lister.awaitEnd(id, WAIT);
    }

    JsonNode first = lister.get("/v1/generations?limit=2").json();
    JsonNode second =
        lister.get("/v1/generations?limit=2&cursor=" + first.get("next_cursor").asText()).json();

    assertThat(first.get("data").findValuesAsText("id")).containsExactly(ids.get(2), ids.get(1));
    assertThat(second.get("data").findValuesAsText("id")).containsExactly(ids.get(0));
    assertThat(second.get("next_cursor").isNull()).isTrue();
    JsonNode newest = first.get("data").get(0);
    assertThat(newest.get("status").asText()).isEqualTo("succeeded");
    assertThat(newest.get("metadata").get("batch").asText()).isEqualTo("b2");
    assertThat(newest.get("outputs").get(0).get("url").asText()).startsWith("/v1/files/lister/");
    assertThat(
            lister
                .get("/v1/generations?status=succeeded")
                .json()
                .get("data")
                .findValuesAsText("id"))
        .containsExactly(ids.get(2), ids.get(1), ids.get(0));
    assertThat(lister.get("/v1/generations?status=canceled").json().get("data")).isEmpty();
    assertThat(client("key-o").get("/v1/generations").json().get("data")).isEmpty();
  }

  @Test
  void aListingWithABadCursorStatusOrLimitIsAProblem() {
    ApiClient lister = client("key-l");
    assertThat(
            lister
                .get("/v1/generations?cursor=not-a-cursor")
                .json()
                .get("errors")
                .findValuesAsText("field"))
        .containsExactly("cursor");
    assertThat(lister.get("/v1/generations?status=done").status()).isEqualTo(400);
    assertThat(lister.get("/v1/generations?limit=101").status()).isEqualTo(400);
    assertThat(lister.get("/v1/generations?limit=0").status()).isEqualTo(400);
  }

  @Test
  void theEventStreamShowsStagesAndProgressEndsWithTheGenerationAndResumes() throws Exception {
    ApiClient streamer = client("key-s");
    String id =
        streamer.submit(
            """
            {"prompt": "a green triangle on a white background", "steps": 150}""");
    EventStreamClient sse = new EventStreamClient(platform.port(), "key-s");

    EventStreamClient.Result stream = sse.read("/v1/generations/" + id + "/events", null, WAIT);

    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.contentType()).startsWith("text/event-stream");
    List<EventStreamClient.Event> events = stream.events();
    assertThat(events).extracting(EventStreamClient.Event::id).isSorted().doesNotHaveDuplicates();
    assertThat(events).extracting(EventStreamClient.Event::name).contains("status", "progress");
    EventStreamClient.Event last = events.get(events.size() - 1);
    assertThat(last.name()).isEqualTo("end");
    assertThat(last.data().get("status").asText()).isEqualTo("succeeded");
    assertThat(last.data().get("outputs")).hasSize(1);
    assertThat(
            events.stream()
                .filter(e -> e.name().equals("progress"))
                .map(e -> e.data().get("progress").get("step").asInt()))
        .isSorted()
        .allMatch(step -> step >= 1 && step <= 150);

    EventStreamClient.Result resumed =
        sse.read("/v1/generations/" + id + "/events", Long.toString(events.get(0).id()), WAIT);
    EventStreamClient.Result afterEnd =
        sse.read("/v1/generations/" + id + "/events", Long.toString(last.id()), WAIT);

    assertThat(resumed.events()).extracting(EventStreamClient.Event::name).containsExactly("end");
    assertThat(afterEnd.status()).isEqualTo(200);
    assertThat(afterEnd.events()).isEmpty();
  }

  @Test
  void anotherTenantsEventStreamIsNotFound() throws Exception {
    String id =
        client("key-s")
            .submit(
                """
                {"prompt": "a black square on a yellow background", "steps": 2}""");

    EventStreamClient.Result foreign =
        new EventStreamClient(platform.port(), "key-o")
            .read("/v1/generations/" + id + "/events", null, WAIT);

    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.events()).isEmpty();
  }

  @Test
  void preferWaitAnswersWithTheFinishedGenerationOrFallsBackTo202() throws Exception {
    ApiClient waiter = client("key-w");

    ApiClient.Response finished =
        waiter.postWith(
            "/v1/generations",
            """
            {"prompt": "a blue circle on an orange background", "steps": 2}""",
            Map.of("Prefer", "wait=60"));
    ApiClient.Response neverServed =
        waiter.postWith(
            "/v1/generations",
            """
            {"prompt": "a blue circle on an orange background", "priority": "batch"}""",
            Map.of("Prefer", "respond-async, wait=1"));
    ApiClient.Response tooLong =
        waiter.postWith("/v1/generations", "{\"prompt\": \"x\"}", Map.of("Prefer", "wait=61"));

    assertThat(finished.status()).isEqualTo(200);
    assertThat(finished.json().get("status").asText()).isEqualTo("succeeded");
    assertThat(finished.json().get("outputs")).hasSize(1);
    assertThat(finished.headers().firstValue("Preference-Applied")).contains("wait=60");
    assertThat(neverServed.status()).isEqualTo(202);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().get("errors").findValuesAsText("field")).containsExactly("Prefer");
    waiter.postWith("/v1/generations/" + neverServed.json().get("id").asText() + "/cancel", "", Map.of());
  }

  @Test
  void imageLinksWorkWithoutAKeyUntilTheyExpireAndCannotBeForged() throws Exception {
    ApiClient linker = client("key-k");
    String id =
        linker.submit(
            """
            {"prompt": "a yellow square on a purple background", "steps": 2, "num_images": 2,
             "metadata": {"customer": "c-17"}}""");
    JsonNode done = linker.awaitEnd(id, WAIT);
    String url = done.get("outputs").get(0).get("url").asText();
    ApiClient anonymous = client(null);

    ApiClient.Response image = anonymous.get(url);
    ApiClient.Response otherIndex = anonymous.get(url.replace("/0.png?", "/1.png?"));
    ApiClient.Response otherTenant = anonymous.get(url.replace("/linker/", "/lister/"));
    ApiClient.Response tampered = anonymous.get(url.substring(0, url.length() - 2) + "xx");
    ApiClient.Response unsigned = anonymous.get(url.substring(0, url.indexOf('?')));
    String expired =
        new ImageUrlSigner(
                SIGNING_KEY,
                Duration.ofHours(1),
                Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC))
            .url("linker", id, 0);
    ApiClient.Response late = anonymous.get(expired);

    assertThat(done.get("input").get("metadata").get("customer").asText()).isEqualTo("c-17");
    assertThat(image.status()).isEqualTo(200);
    assertThat(image.contentType()).isEqualTo("image/png");
    assertThat(image.headers().firstValue("Cache-Control").orElse("")).contains("private");
    assertThat(List.of(otherIndex, otherTenant, tampered, late))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(403))
        .allSatisfy(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
    assertThat(late.json().get("type").asText()).isEqualTo("/problems/link-expired");
    assertThat(tampered.json().get("type").asText()).isEqualTo("/problems/invalid-signature");
    assertThat(unsigned.status()).isEqualTo(400);
  }

  @Test
  void theOpenApiDocumentAndSwaggerUiAreServedWithoutAKey() {
    ApiClient anonymous = client(null);

    ApiClient.Response document = anonymous.get("/v3/api-docs");
    ApiClient.Response ui = anonymous.get("/swagger-ui/index.html");

    assertThat(document.status()).isEqualTo(200);
    assertThat(document.json().get("openapi").asText()).startsWith("3.");
    assertThat(document.json().get("paths").fieldNames())
        .toIterable()
        .contains(
            "/v1/generations",
            "/v1/generations/{id}",
            "/v1/generations/{id}/events",
            "/v1/generations/{id}/cancel",
            "/v1/models");
    assertThat(document.json().at("/components/securitySchemes/apiKey/scheme").asText())
        .isEqualTo("bearer");
    assertThat(
            document.json().at("/paths/~1v1~1generations/get/parameters").findValuesAsText("name"))
        .containsExactlyInAnyOrder("limit", "cursor", "status");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(ui.contentType()).startsWith("text/html");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/hook",
        "http://[::1]/hook",
        "http://localhost:8080/hook",
        "http://127.0.0.1/hook",
        "http://2130706433/hook",
        "https://[::ffff:10.0.0.1]/hook"
      })
  void webhookTargetsOnNonPublicAddressesAreRefusedAtSubmitAndStartNothing(String url) {
    ApiClient guarded = client("key-g");

    ApiClient.Response refused =
        guarded.post(
            "/v1/generations",
            "{\"prompt\": \"a red circle\", \"webhook\": {\"url\": \"" + url + "\"}}",
            (String) null);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("errors").findValuesAsText("field"))
        .containsExactly("webhook.url");
    assertThat(guarded.get("/v1/generations").json().get("data")).isEmpty();
  }

  @Test
  void aKeyRemovedFromTheHashFileIsRefusedWithoutARestart() throws Exception {
    ApiClient rotating = client("key-r");
    assertThat(rotating.get("/v1/generations").status()).isEqualTo(200);

    Path keyHashes = keyHashes(platform.data());
    Files.writeString(keyHashes, "# key-r revoked\n");
    Files.setLastModifiedTime(keyHashes, FileTime.from(Instant.now().plusSeconds(5)));

    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (rotating.get("/v1/generations").status() != 401 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    ApiClient.Response refused = rotating.get("/v1/generations");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(client("key-l").get("/v1/generations").status()).isEqualTo(200);
  }

  @Test
  void img2imgStartsFromAnOutputOrAnUploadAndStaysCloseToItAtLowStrength() throws Exception {
    ApiClient painter = client("key-p");
    String base =
        painter.submit(
            """
            {"prompt": "a green circle on a white background", "seed": 1, "steps": 20}""");
    JsonNode original = painter.awaitEnd(base, WAIT);
    byte[] originalPng = painter.get(original.get("outputs").get(0).get("url").asText()).body();

    String fromOutput =
        painter.submit(
            """
            {"prompt": "a green circle on a white background", "seed": 99, "steps": 20,
             "init_image": {"generation_id": "%s", "index": 0}, "strength": 0.3}"""
                .formatted(base));
    String fromUpload =
        painter.submit(
            """
            {"prompt": "a green circle on a white background", "seed": 99, "steps": 20,
             "init_image": {"data": "%s"}, "strength": 0.3}"""
                .formatted(Base64.getEncoder().encodeToString(originalPng)));
    String unrelated =
        painter.submit(
            """
            {"prompt": "a green circle on a white background", "seed": 99, "steps": 20}""");

    JsonNode outputDone = painter.awaitEnd(fromOutput, WAIT);
    JsonNode uploadDone = painter.awaitEnd(fromUpload, WAIT);
    JsonNode unrelatedDone = painter.awaitEnd(unrelated, WAIT);
    assertThat(outputDone.get("status").asText()).isEqualTo("succeeded");
    assertThat(outputDone.get("input").get("strength").asDouble()).isEqualTo(0.3);
    assertThat(uploadDone.get("status").asText()).isEqualTo("succeeded");
    double nearOutput = meanDifference(originalPng, png(painter, outputDone));
    double nearUpload = meanDifference(originalPng, png(painter, uploadDone));
    double farAway = meanDifference(originalPng, png(painter, unrelatedDone));
    assertThat(nearOutput).isLessThan(farAway / 2);
    assertThat(nearUpload).isLessThan(farAway / 2);
    assertThat(platform.data().resolve("work/" + fromUpload)).doesNotExist();
    assertThat(Files.readString(platform.data().resolve("outputs/painter/" + fromUpload + "/provenance.json")))
        .contains("\"init_image\"", "\"strength\" : 0.3", Digests.sha256(originalPng));
  }

  @Test
  void img2imgRefusesForeignOutputsAndBrokenUploadsAndStartsNothing() throws Exception {
    ApiClient painter = client("key-p");
    String base =
        painter.submit(
            """
            {"prompt": "a red square on a black background", "steps": 2}""");
    painter.awaitEnd(base, WAIT);
    ApiClient other = client("key-o");
    int before = other.get("/v1/generations").json().get("data").size();

    ApiClient.Response foreign =
        other.post(
            "/v1/generations",
            "{\"prompt\": \"x\", \"init_image\": {\"generation_id\": \"" + base + "\"}}",
            (String) null);
    ApiClient.Response broken =
        painter.post(
            "/v1/generations",
            "{\"prompt\": \"x\", \"init_image\": {\"data\": \"aGVsbG8=\"}}",
            (String) null);
    ApiClient.Response both =
        painter.post(
            "/v1/generations",
            "{\"prompt\": \"x\", \"init_image\": {\"generation_id\": \"g\", \"data\":"
                + " \"aGVsbG8=\"}}",
            (String) null);

    assertThat(foreign.json().get("errors").findValuesAsText("field"))
        .containsExactly("init_image");
    assertThat(broken.json().get("errors").findValuesAsText("field"))
        .containsExactly("init_image.data");
    assertThat(both.status()).isEqualTo(400);
    assertThat(other.get("/v1/generations").json().get("data")).hasSize(before);
  }

  private static byte[] png(ApiClient client, JsonNode generation) {
    return client.get(generation.get("outputs").get(0).get("url").asText()).body();
  }

  private static double meanDifference(byte[] a, byte[] b) throws IOException {
    BufferedImage x = ImageIO.read(new ByteArrayInputStream(a));
    BufferedImage y = ImageIO.read(new ByteArrayInputStream(b));
    long sum = 0;
    for (int row = 0; row < x.getHeight(); row++) {
      for (int column = 0; column < x.getWidth(); column++) {
        int p = x.getRGB(column, row);
        int q = y.getRGB(column, row);
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
        }
      }
    }
    return sum / (3.0 * x.getWidth() * x.getHeight());
  }

  @Test
  void headerInjectionAttemptsAreRefusedAndStartNothing() throws Exception {
    String body = "{\"prompt\": \"a red circle\"}";
    String controlCharacters = rawPost("Idempotency-Key: order-1\u0001\u001b[31m\r\n", body);
    String nonAscii = rawPost("Idempotency-Key: ord\u00e9r-3\r\n", body);

    assertThat(controlCharacters).startsWith("HTTP/1.1 400");
    assertThat(controlCharacters).doesNotContain("\u001b");
    assertThat(nonAscii).startsWith("HTTP/1.1 400");
    assertThat(client("key-i").get("/v1/generations").json().get("data")).isEmpty();
  }

  /** A request written byte by byte, since HTTP clients refuse to send malformed headers. */
  private static String rawPost(String extraHeaders, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", platform.port())) {
      socket.setSoTimeout(10_000);
      String request =
          "POST /v1/generations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer key-i\r\n"
              + "Content-Type: application/json\r\nConnection: close\r\n"
              + extraHeaders
              + "Content-Length: "
              + body.length()
              + "\r\n\r\n"
              + body;
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void oversizedBodiesAre413AndStartNothing() {
    ApiClient limits = client("key-b");
    String big =
        "{\"prompt\": \"a red circle\", \"metadata\": {\"pad\": \"" + "x".repeat(70_000) + "\"}}";

    ApiClient.Response declared = limits.postWith("/v1/generations", big, Map.of());
    ApiClient.Response chunked = limits.postChunked("/v1/generations", big.getBytes());

    assertThat(List.of(declared, chunked))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(413))
        .allSatisfy(r -> assertThat(r.contentType()).startsWith("application/problem+json"));
    assertThat(limits.get("/v1/generations").json().get("data")).isEmpty();
  }
}
