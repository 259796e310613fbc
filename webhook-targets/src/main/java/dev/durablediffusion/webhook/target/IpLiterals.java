package dev.durablediffusion.webhook.target;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IP address literals, parsed without ever asking DNS. */
final class IpLiterals {

  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private IpLiterals() {}

  /**
   * The address {@code text} spells, a dotted quad or IPv6 with or without brackets; empty for a
   * host name.
   *
   * @throws IllegalArgumentException for text with a colon that is no IPv6 address
   */
  static Optional<InetAddress> parse(String text) {
    if (text.contains(":")) {
      return Optional.of(ipv6(text));
    }
    Matcher quad = DOTTED_QUAD.matcher(text);
    if (!quad.matches()) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < bytes.length; i++) {
      int octet = Integer.parseInt(quad.group(i + 1));
      if (octet > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) octet;
    }
    return Optional.of(ipv4(bytes));
  }

  static InetAddress ipv4(byte[] fourBytes) {
    try {
      return InetAddress.getByAddress(fourBytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static InetAddress ipv6(String text) {
    // In brackets, InetAddress parses the literal or fails; it never looks the text up.
    String bracketed = text.startsWith("[") ? text : "[" + text + "]";
    try {
      return InetAddress.getByName(bracketed);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address: " + text, e);
    }
  }
}
