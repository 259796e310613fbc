package dev.durablediffusion.webhook.target;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A webhook URL and the addresses its host resolved to when {@link WebhookTargetGuard} checked
 * them; the delivery connects to these addresses only.
 */
public record VettedTarget(URI uri, List<InetAddress> addresses) {

  public VettedTarget {
    addresses = List.copyOf(addresses);
  }
}
