package dev.durablediffusion.webhook.target;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The address ranges a webhook must never reach: this host, private networks, cloud metadata. */
final class NonPublicAddresses {

  private record Range(CidrBlock block, String kind) {}

  private static final List<Range> RANGES =
      List.of(
          range("0.0.0.0/8", "an unspecified address"),
          range("10.0.0.0/8", "a private address"),
          range("100.64.0.0/10", "a carrier-grade NAT address"),
          range("127.0.0.0/8", "a loopback address"),
          range("168.63.129.16/32", "the Azure wire server address"),
          range("169.254.169.254/32", "the cloud metadata address"),
          range("169.254.0.0/16", "a link-local address"),
          range("172.16.0.0/12", "a private address"),
          range("192.168.0.0/16", "a private address"),
          range("224.0.0.0/4", "a multicast address"),
          range("255.255.255.255/32", "the broadcast address"),
          range("::/128", "an unspecified address"),
          range("::1/128", "a loopback address"),
          range("fc00::/7", "a unique-local address"),
          range("fe80::/10", "a link-local address"),
          range("fec0::/10", "a site-local address"),
          range("ff00::/8", "a multicast address"));

  /** IPv6 prefixes whose last 32 bits are an IPv4 address that the traffic ends up at. */
  private static final List<byte[]> IPV4_CARRYING_PREFIXES =
      List.of(
          new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // IPv4-compatible ::a.b.c.d
          new byte[] {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff
          }, // IPv4-mapped ::ffff:a.b.c.d
          new byte[] {
            0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0
          }); // NAT64 64:ff9b::a.b.c.d

  private NonPublicAddresses() {}

  private static Range range(String cidr, String kind) {
    return new Range(CidrBlock.parse(cidr), kind);
  }

  /** What kind of non-public address this is, or empty for a public one. */
  static Optional<String> kindOf(InetAddress address) {
    Optional<String> kind =
        RANGES.stream().filter(r -> r.block().contains(address)).map(Range::kind).findFirst();
    return kind.isPresent() ? kind : embeddedIpv4(address).flatMap(NonPublicAddresses::kindOf);
  }

  private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] bytes = address.getAddress();
    for (byte[] prefix : IPV4_CARRYING_PREFIXES) {
      if (Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length)) {
        return Optional.of(IpLiterals.ipv4(Arrays.copyOfRange(bytes, prefix.length, bytes.length)));
      }
    }
    return Optional.empty();
  }
}
