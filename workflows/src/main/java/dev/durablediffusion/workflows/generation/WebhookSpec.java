package dev.durablediffusion.workflows.generation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Where to deliver which of the events {@code started, completed, failed, canceled}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WebhookSpec(String url, List<String> events) {

  public boolean wants(String event) {
    return events == null || events.isEmpty() || events.contains(event);
  }
}
