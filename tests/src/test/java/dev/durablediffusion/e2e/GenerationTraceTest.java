package dev.durablediffusion.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One generation is one trace, from the HTTP request to the webhook, and its logs carry the ids.
 */
class GenerationTraceTest {

  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STAGES =
      List.of("Validate", "RequestGpuTurn", "PrepareModel", "Denoise", "StoreImages", "CloseOut");

  @TempDir Path data;

  @Configuration(proxyBeanMethods = false)
  static class SpanCapture {
    @Bean
    SpanProcessor capturedSpans() {
      return SimpleSpanProcessor.create(SPANS);
    }
  }

  @Test
  void oneTraceFromTheRequestThroughEveryStageToTheWebhook() throws Exception {
    try (WebhookPlatform platform = new WebhookPlatform(data, SpanCapture.class)) {
      ListAppender<ILoggingEvent> logs = captureLogs();
      ApiClient api = platform.tenantA();
      String id =
          api.submit(
              """
{"prompt": "a blue circle on a white background", "steps": 4,
 "webhook": {"url": "%s", "events": ["completed"]}}"""
                  .formatted(platform.receiver().url()));
      api.awaitEnd(id, Duration.ofMinutes(2));
      String header =
          platform.receiver().awaitFirst(Duration.ofSeconds(30)).getFirst("traceparent");

      Map<String, SpanData> spans = awaitSpans("RunWorkflow:WebhookDeliveryWorkflow");

      SpanData request = spans.get("http post /v1/generations");
      String traceId = request.getTraceId();
      assertThat(request.getParentSpanContext().isValid()).isFalse();
      assertParent(spans, "StartWorkflow:GenerationWorkflow", "http post /v1/generations");
      assertParent(spans, "RunWorkflow:GenerationWorkflow", "StartWorkflow:GenerationWorkflow");
      for (String stage : STAGES) {
        assertParent(spans, "StartActivity:" + stage, "RunWorkflow:GenerationWorkflow");
        assertParent(spans, "RunActivity:" + stage, "StartActivity:" + stage);
      }
      assertParent(spans, "SignalWorkflow:reportProgress", "RunActivity:Denoise");
      assertParent(
          spans, "StartChildWorkflow:WebhookDeliveryWorkflow", "RunWorkflow:GenerationWorkflow");
      assertParent(
          spans,
          "RunWorkflow:WebhookDeliveryWorkflow",
          "StartChildWorkflow:WebhookDeliveryWorkflow");
      assertParent(spans, "StartActivity:Send", "RunWorkflow:WebhookDeliveryWorkflow");
      assertParent(spans, "RunActivity:Send", "StartActivity:Send");
      assertThat(spans.values()).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));

      assertThat(header)
          .isEqualTo("00-" + traceId + "-" + spans.get("RunActivity:Send").getSpanId() + "-01");
      assertThat(
              JSON.readTree(data.resolve("outputs/a/" + id + "/provenance.json").toFile())
                  .get("trace_id")
                  .asText())
          .isEqualTo(traceId);

      ILoggingEvent started = logLine(logs, "started generation " + id);
      assertThat(started.getMDCPropertyMap())
          .containsEntry("tenant", "a")
          .containsEntry("traceId", traceId);
      assertThat(started.getFormattedMessage())
          .contains("prompt=[redacted, 35 chars]")
          .doesNotContain("circle");
      for (String stage : STAGES) {
        assertThat(logLine(logs, stage + " attempt 1 ended: success").getMDCPropertyMap())
            .as(stage)
            .containsEntry("generation_id", id)
            .containsEntry("tenant", "a")
            .containsEntry("activity", stage)
            .containsEntry("traceId", traceId)
            .containsEntry("spanId", spans.get("RunActivity:" + stage).getSpanId());
      }
    }
  }

  /**
   * The spans of the one generation the test ran (status reads are traces of their own), by name;
   * waits for the named span, since the webhook's workflow ends after the receiver answers.
   */
  private static Map<String, SpanData> awaitSpans(String last) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      String traceId =
          SPANS.getFinishedSpanItems().stream()
              .filter(s -> s.getName().equals("http post /v1/generations"))
              .findFirst()
              .orElseThrow()
              .getTraceId();
      Map<String, SpanData> spans = new HashMap<>();
      SPANS.getFinishedSpanItems().stream()
          .filter(s -> s.getTraceId().equals(traceId))
          .forEach(s -> spans.putIfAbsent(s.getName(), s));
      if (spans.containsKey(last) || System.nanoTime() > deadline) {
        return spans;
      }
      Thread.sleep(100);
    }
  }

  private static void assertParent(Map<String, SpanData> spans, String child, String parent) {
    assertThat(spans).as("spans of the generation's trace").containsKeys(child, parent);
    assertThat(spans.get(child).getParentSpanId())
        .as(child + " is a child of " + parent)
        .isEqualTo(spans.get(parent).getSpanId());
  }

  private static ILoggingEvent logLine(ListAppender<ILoggingEvent> logs, String start) {
    List<ILoggingEvent> events;
    synchronized (logs) {
      events = List.copyOf(logs.list);
    }
    return events.stream()
        .filter(e -> e.getFormattedMessage().startsWith(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no log line starting with: " + start));
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender =
        new ListAppender<>() {
          @Override
          protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
          }
        };
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }
}
