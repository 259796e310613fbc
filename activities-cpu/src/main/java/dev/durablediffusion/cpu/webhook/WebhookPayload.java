package dev.durablediffusion.cpu.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.durablediffusion.workflows.webhook.WebhookEvent;
import java.time.Instant;

/**
 * The JSON body of a webhook, {@code {"data": …, "timestamp": …, "type": …}} with the generation as
 * a client sees it, in snake_case. Keys are sorted, so every attempt at one event sends the same
 * bytes.
 */
public final class WebhookPayload {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  record Envelope(String type, String timestamp, WebhookGeneration data) {}

  private WebhookPayload() {}

  public static byte[] of(WebhookEvent event) {
    Envelope envelope =
        new Envelope(
            event.type(),
            Instant.ofEpochMilli(event.createdAtMillis()).toString(),
            WebhookGeneration.of(event.generation()));
    try {
      return JSON.writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "webhook " + event.webhookId() + " cannot be written as JSON", e);
    }
  }
}
