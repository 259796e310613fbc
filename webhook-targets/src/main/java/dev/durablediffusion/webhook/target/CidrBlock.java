package dev.durablediffusion.webhook.target;

import java.net.InetAddress;

/** A block of IPv4 or IPv6 addresses, such as {@code 10.0.0.0/8} or {@code fe80::/10}. */
final class CidrBlock {

  private final byte[] network;
  private final int prefixLength;

  private CidrBlock(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** Whether {@code text} is an IP address or a CIDR block, as opposed to a host name. */
  static boolean isCidrOrAddress(String text) {
    return IpLiterals.parse(text.split("/", 2)[0]).isPresent();
  }

  /** Parses {@code address/prefix}, or a bare address as a block of one. */
  static CidrBlock parse(String cidr) {
    String[] parts = cidr.split("/", 2);
    byte[] network =
        IpLiterals.parse(parts[0])
            .orElseThrow(
                () -> new IllegalArgumentException("not an IP address or CIDR block: " + cidr))
            .getAddress();
    int bits = network.length * 8;
    int prefixLength;
    try {
      prefixLength = parts.length == 1 ? bits : Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR prefix length: " + cidr, e);
    }
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "a CIDR prefix length lies between 0 and " + bits + ": " + cidr);
    }
    return new CidrBlock(network, prefixLength);
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    int wholeBytes = prefixLength / 8;
    for (int i = 0; i < wholeBytes; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int remainingBits = prefixLength % 8;
    int mask = (0xff << (8 - remainingBits)) & 0xff;
    return remainingBits == 0 || (bytes[wholeBytes] & mask) == (network[wholeBytes] & mask);
  }
}
