package dev.durablediffusion.gpu.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local stand-in of the instance metadata service's Scheduled Events endpoint. */
class ScheduledEventsPollerTest {

  private static final String NO_EVENTS = "{\"DocumentIncarnation\": 1, \"Events\": []}";

  private final AtomicReference<String> document = new AtomicReference<>(NO_EVENTS);
  private final AtomicReference<String> computeName = new AtomicReference<>("vmss_7");
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<String> metadataHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger drains = new AtomicInteger();
  private HttpServer metadata;

  @BeforeEach
  void start() throws IOException {
    metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    metadata.createContext(
        "/metadata/scheduledevents",
        exchange -> answer(exchange, status.get(), document.get()));
    metadata.createContext(
        "/metadata/instance/compute/name", exchange -> answer(exchange, 200, computeName.get()));
    metadata.start();
  }

  @AfterEach
  void stop() {
    metadata.stop(0);
  }

  @Test
  void aPreemptOfThisVmDrainsOnceAndEventsOfOtherVmsDoNot() {
    ScheduledEventsPoller poller = poller("vmss_7");

    poller.poll();
    document.set(preempt("vmss_3"));
    poller.poll();
    assertThat(drains).hasValue(0);

    document.set(preempt("vmss_3", "vmss_7"));
    poller.poll();
    poller.poll();

    assertThat(drains).hasValue(1);
    assertThat(metadataHeaders).isNotEmpty().containsOnly("true");
  }

  @Test
  void withoutAConfiguredNameItAsksTheMetadataServiceForIt() {
    ScheduledEventsPoller poller = poller("");
    document.set(preempt("vmss_3"));

    poller.poll();
    assertThat(drains).hasValue(0);

    document.set(preempt("vmss_7"));
    poller.poll();
    assertThat(drains).hasValue(1);
  }

  @Test
  void otherEventsAFailingEndpointOrGarbageNeverDrain() {
    ScheduledEventsPoller poller = poller("vmss_7");

    document.set(preempt("vmss_7").replace("Preempt", "Freeze"));
    poller.poll();
    document.set("<html>not json</html>");
    poller.poll();
    status.set(503);
    document.set(preempt("vmss_7"));
    poller.poll();

    assertThat(drains).hasValue(0);
    status.set(200);
    poller.poll();
    assertThat(drains).hasValue(1);
  }

  private ScheduledEventsPoller poller(String instanceName) {
    return new ScheduledEventsPoller(
        URI.create(
            "http://127.0.0.1:"
                + metadata.getAddress().getPort()
                + "/metadata/scheduledevents?api-version=2020-07-01"),
        instanceName,
        Duration.ofSeconds(1),
        drains::incrementAndGet,
        HttpClient.newHttpClient());
  }

  private static String preempt(String... vms) {
    return """
        {"DocumentIncarnation": 2, "Events": [{"EventId": "602d9444-d2cd-49c7-8624-8643e7171297",
         "EventType": "Preempt", "ResourceType": "VirtualMachine", "Resources": [%s],
         "EventStatus": "Scheduled", "NotBefore": "Fri, 04 Dec 2026 18:30:00 GMT",
         "Description": "", "EventSource": "Platform", "DurationInSeconds": -1}]}"""
        .formatted(String.join(", ", List.of(vms).stream().map(v -> "\"" + v + "\"").toList()));
  }

  private void answer(HttpExchange exchange, int code, String body)
      throws IOException {
    metadataHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Metadata")));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
