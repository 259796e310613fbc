package dev.durablediffusion.webhook.target;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into every address it stands for. */
@FunctionalInterface
public interface DnsResolver {

  /**
   * @throws UnknownHostException if the name has no address
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The operating system's resolver. */
  static DnsResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
