package dev.durablediffusion.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A client of the public API, as a customer's code would use it. */
final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String key;

  ApiClient(int port, String key) {
    this.base = "http://127.0.0.1:" + port;
    this.key = key;
  }

  record Response(
      int status, String contentType, JsonNode json, byte[] body, HttpHeaders headers) {}

  Response post(String path, String json, String idempotencyKey) {
    return idempotencyKey == null
        ? postWith(path, json, Map.of())
        : postWith(path, json, Map.of("Idempotency-Key", idempotencyKey));
  }

  Response postWith(String path, String json, Map<String, String> headers) {
    HttpRequest.Builder request =
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(request::header);
    return send(request.build());
  }

  /** Sends the body chunked, without a Content-Length. */
  Response postChunked(String path, byte[] body) {
    return send(
        request(path)
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build());
  }

  Response get(String path) {
    return send(request(path).GET().build());
  }

  String submit(String json) {
    Response response = post("/v1/generations", json, null);
    if (response.status() != 202) {
      throw new AssertionError(
          "submit answered " + response.status() + ": " + new String(response.body()));
    }
    return response.json().get("id").asText();
  }

  JsonNode awaitEnd(String id, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Response response = get("/v1/generations/" + id);
      if (response.status() == 200) {
        last = response.json();
        if (TERMINAL.contains(last.get("status").asText())) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "generation " + id + " did not end in " + timeout + "; last seen " + last);
  }

  JsonNode awaitStep(String id, int step, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Response response = get("/v1/generations/" + id);
      JsonNode progress = response.status() == 200 ? response.json().get("progress") : null;
      if (progress != null && progress.get("step").asInt() >= step) {
        return response.json();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("generation " + id + " did not reach step " + step + " in " + timeout);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    return key == null ? builder : builder.header("Authorization", "Bearer " + key);
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String type = response.headers().firstValue("content-type").orElse("");
      JsonNode json =
          type.contains("json") && response.body().length > 0
              ? JSON.readTree(response.body())
              : null;
      return new Response(response.statusCode(), type, json, response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
