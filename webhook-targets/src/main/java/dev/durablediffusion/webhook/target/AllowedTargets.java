package dev.durablediffusion.webhook.target;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Host names and CIDR blocks an operator lets webhooks reach although they are not public. */
final class AllowedTargets {

  private final Set<String> hosts;
  private final List<CidrBlock> blocks;

  /**
   * @param entries host names ({@code hooks.internal}) and CIDR blocks ({@code 127.0.0.1/32})
   */
  AllowedTargets(List<String> entries) {
    this.hosts =
        entries.stream()
            .filter(entry -> !CidrBlock.isCidrOrAddress(entry))
            .map(host -> host.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    this.blocks =
        entries.stream().filter(CidrBlock::isCidrOrAddress).map(CidrBlock::parse).toList();
  }

  boolean allowsHost(String host) {
    return hosts.contains(host.toLowerCase(Locale.ROOT));
  }

  boolean allowsAddress(InetAddress address) {
    return blocks.stream().anyMatch(block -> block.contains(address));
  }
}
