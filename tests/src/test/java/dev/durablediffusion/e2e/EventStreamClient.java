package dev.durablediffusion.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream to its end, as a browser's EventSource would. */
final class EventStreamClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Event(long id, String name, JsonNode data) {}

  record Result(int status, String contentType, List<Event> events) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;
  private final String key;

  EventStreamClient(int port, String key) {
    this.port = port;
    this.key = key;
  }

  Result read(String path, String lastEventId, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(timeout)
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + key);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    try {
      HttpResponse<Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      String type = response.headers().firstValue("content-type").orElse("");
      List<Event> events = new ArrayList<>();
      try (Stream<String> lines = response.body()) {
        parse(lines.iterator(), events);
      }
      return new Result(response.statusCode(), type, events);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void parse(Iterator<String> lines, List<Event> events) throws IOException {
    long id = -1;
    String name = "message";
    StringBuilder data = new StringBuilder();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data.length() > 0) {
          events.add(new Event(id, name, JSON.readTree(data.toString())));
        }
        id = -1;
        name = "message";
        data.setLength(0);
      } else if (line.startsWith("id:")) {
        id = Long.parseLong(line.substring(3).trim());
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5));
      }
    }
  }
}
