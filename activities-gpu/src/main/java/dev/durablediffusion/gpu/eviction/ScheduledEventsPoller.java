package dev.durablediffusion.gpu.eviction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches Azure's instance metadata Scheduled Events for a {@code Preempt} of this VM — a spot
 * eviction, announced about 30 s ahead — and then drains the GPU workers exactly as SIGTERM does: a
 * running denoise checkpoints the step it reached and another host continues from it. The
 * endpoint lists the events of every VM of the scale set, so only events naming this instance
 * count; without a configured name the poller asks the metadata service for it, and failing that
 * takes every {@code Preempt} for its own.
 */
public final class ScheduledEventsPoller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ScheduledEventsPoller.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private final URI events;
  private final Duration interval;
  private final Runnable drain;
  private final HttpClient http;
  private final AtomicBoolean drained = new AtomicBoolean();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "scheduled-events");
            thread.setDaemon(true);
            return thread;
          });
  private String instanceName;
  private boolean nameLookedUp;

  /**
   * @param events the Scheduled Events endpoint, e.g. {@code
   *     http://169.254.169.254/metadata/scheduledevents?api-version=2020-07-01}
   * @param instanceName this VM's name as the events list it; blank to ask the metadata service
   * @param drain stops this host's GPU workers; called once
   */
  public ScheduledEventsPoller(
      URI events, String instanceName, Duration interval, Runnable drain, HttpClient http) {
    this.events = events;
    this.instanceName = instanceName == null || instanceName.isBlank() ? null : instanceName;
    this.nameLookedUp = this.instanceName != null;
    this.interval = interval;
    this.drain = drain;
    this.http = http;
  }

  public void start() {
    log.info("watching {} for a Preempt of this VM", events);
    timer.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One look at the endpoint; drains on a {@code Preempt} of this VM. */
  void poll() {
    if (drained.get()) {
      return;
    }
    try {
      lookUpNameOnce();
      JsonNode document = JSON.readTree(get(events));
      for (JsonNode event : document.path("Events")) {
        if ("Preempt".equals(event.path("EventType").asText()) && concernsThisVm(event)) {
          preempted(event);
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("scheduled events not read: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean concernsThisVm(JsonNode event) {
    if (instanceName == null) {
      return true;
    }
    for (JsonNode resource : event.path("Resources")) {
      if (instanceName.equals(resource.asText())) {
        return true;
      }
    }
    return false;
  }

  private void preempted(JsonNode event) {
    if (drained.compareAndSet(false, true)) {
      log.warn(
          "Preempt {} of {} not before {}: draining the GPU workers",
          event.path("EventId").asText(),
          instanceName == null ? "this VM" : instanceName,
          event.path("NotBefore").asText());
      drain.run();
    }
  }

  private void lookUpNameOnce() throws InterruptedException {
    if (nameLookedUp) {
      return;
    }
    nameLookedUp = true;
    URI compute =
        events.resolve("/metadata/instance/compute/name?api-version=2021-02-01&format=text");
    try {
      String name = get(compute).strip();
      instanceName = name.isEmpty() ? null : name;
    } catch (IOException | RuntimeException e) {
      log.warn("this VM's name not read from {}: every Preempt counts as this VM's", compute);
    }
  }

  private String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).header("Metadata", "true").timeout(REQUEST_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(uri + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** Stops polling; a drain already under way is not interrupted. */
  @Override
  public void close() {
    timer.shutdown();
  }
}
