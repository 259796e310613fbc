package dev.durablediffusion.workflows.generation;

import java.util.List;

/** Where to deliver which of the events {@code started, completed, failed, canceled}. */
public record WebhookSpec(String url, List<String> events) {

  public boolean wants(String event) {
    return events == null || events.isEmpty() || events.contains(event);
  }
}
