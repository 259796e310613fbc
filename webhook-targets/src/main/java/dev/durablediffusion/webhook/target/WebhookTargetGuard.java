package dev.durablediffusion.webhook.target;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Keeps webhooks from reaching into our own network (server-side request forgery): a URL passes
 * only if every address its host resolves to is public, or the operator allowed the host or
 * address.
 */
public final class WebhookTargetGuard {

  private final AllowedTargets allowed;
  private final DnsResolver resolver;

  /**
   * @param allowedTargets host names and CIDR blocks that may be reached although not public
   * @throws IllegalArgumentException for an entry that looks like an address but is not one
   */
  public WebhookTargetGuard(List<String> allowedTargets, DnsResolver resolver) {
    this.allowed = new AllowedTargets(allowedTargets);
    this.resolver = resolver;
  }

  /**
   * Resolves the URL's host and checks every address.
   *
   * @throws WebhookTargetRefusedException if the URL is unusable or reaches a non-public address
   * @throws UnknownHostException if the host does not resolve, which may be temporary
   */
  public VettedTarget vet(String url) throws WebhookTargetRefusedException, UnknownHostException {
    URI uri = parse(url);
    String host = uri.getHost();
    List<InetAddress> addresses = resolve(host);
    if (!allowed.allowsHost(host)) {
      for (InetAddress address : addresses) {
        Optional<String> kind = NonPublicAddresses.kindOf(address);
        if (kind.isPresent() && !allowed.allowsAddress(address)) {
          throw new WebhookTargetRefusedException(
              "resolves to " + kind.get() + " " + address.getHostAddress());
        }
      }
    }
    return new VettedTarget(uri, addresses);
  }

  private static URI parse(String url) throws WebhookTargetRefusedException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new WebhookTargetRefusedException("not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new WebhookTargetRefusedException("the URL scheme must be https or http");
    }
    if (uri.getHost() == null) {
      throw new WebhookTargetRefusedException("the URL has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new WebhookTargetRefusedException("the URL must not carry user info");
    }
    return uri;
  }

  /** Address literals are parsed here, never sent to the resolver. */
  private List<InetAddress> resolve(String host) throws UnknownHostException {
    Optional<InetAddress> literal = IpLiterals.parse(host);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    List<InetAddress> addresses = resolver.resolve(host);
    if (addresses.isEmpty()) {
      throw new UnknownHostException(host);
    }
    return addresses;
  }
}
