package dev.durablediffusion.webhook.target;

import dev.durablediffusion.model.FieldError;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Function;

/** The SSRF guard as a request rule: a refused or unresolvable target is a field error. */
public final class WebhookTargetCheck implements Function<String, List<FieldError>> {

  private final WebhookTargetGuard guard;

  public WebhookTargetCheck(WebhookTargetGuard guard) {
    this.guard = guard;
  }

  @Override
  public List<FieldError> apply(String url) {
    try {
      guard.vet(url);
      return List.of();
    } catch (WebhookTargetRefusedException e) {
      return List.of(new FieldError("webhook.url", e.getMessage()));
    } catch (UnknownHostException e) {
      return List.of(new FieldError("webhook.url", "the host does not resolve"));
    }
  }
}
