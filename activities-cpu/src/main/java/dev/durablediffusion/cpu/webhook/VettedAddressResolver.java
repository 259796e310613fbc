package dev.durablediffusion.cpu.webhook;

import java.net.InetAddress;
import java.util.List;

/**
 * Answers every lookup of the HTTP client with the addresses the guard vetted, so the connection
 * cannot reach an address that a second lookup would return.
 */
final class VettedAddressResolver implements org.apache.hc.client5.http.DnsResolver {

  private final List<InetAddress> addresses;

  VettedAddressResolver(List<InetAddress> addresses) {
    this.addresses = List.copyOf(addresses);
  }

  @Override
  public InetAddress[] resolve(String host) {
    return addresses.toArray(InetAddress[]::new);
  }

  @Override
  public String resolveCanonicalHostname(String host) {
    return host;
  }
}
