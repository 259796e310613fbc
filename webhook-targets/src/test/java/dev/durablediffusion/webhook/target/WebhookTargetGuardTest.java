package dev.durablediffusion.webhook.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Only resolves, through a map standing in for DNS; never connects anywhere. */
class WebhookTargetGuardTest {

  private static final DnsResolver DNS =
      names(
          Map.of(
              "localhost", List.of(address("127.0.0.1"), address("::1")),
              "internal.example", List.of(address("10.0.0.1")),
              "hooks.example", List.of(address("93.184.216.34")),
              "mixed.example", List.of(address("93.184.216.34"), address("10.0.0.1")),
              "mapped.example", List.of(ipv4MappedIpv6(10, 0, 0, 1)),
              "receiver.internal", List.of(address("10.1.2.3"))));

  private final WebhookTargetGuard guard = new WebhookTargetGuard(List.of(), DNS);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://169.254.169.254/latest/meta-data | resolves to the cloud metadata address"
            + " 169.254.169.254",
        "http://169.254.1.1/                     | resolves to a link-local address 169.254.1.1",
        "http://10.0.0.1/hook                    | resolves to a private address 10.0.0.1",
        "http://172.16.5.4/hook                  | resolves to a private address 172.16.5.4",
        "http://192.168.1.1/hook                 | resolves to a private address 192.168.1.1",
        "http://100.64.0.1/hook                  | resolves to a carrier-grade NAT address"
            + " 100.64.0.1",
        "http://127.0.0.1:8080/hook              | resolves to a loopback address 127.0.0.1",
        "http://[::1]/hook                       | resolves to a loopback address 0:0:0:0:0:0:0:1",
        "http://[fe80::1]/hook                   | resolves to a link-local address"
            + " fe80:0:0:0:0:0:0:1",
        "http://[fc00::1]/hook                   | resolves to a unique-local address"
            + " fc00:0:0:0:0:0:0:1",
        "http://[::ffff:10.0.0.1]/hook           | resolves to a private address 10.0.0.1",
        "http://[::10.0.0.1]/hook                | resolves to a private address 0:0:0:0:0:0:a00:1",
        "http://[64:ff9b::a9fe:a9fe]/hook        | resolves to the cloud metadata address"
            + " 64:ff9b:0:0:0:0:a9fe:a9fe",
        "http://0.0.0.0/hook                     | resolves to an unspecified address 0.0.0.0",
        "http://[::]/hook                        | resolves to an unspecified address"
            + " 0:0:0:0:0:0:0:0",
        "http://224.0.0.1/hook                   | resolves to a multicast address 224.0.0.1",
        "http://168.63.129.16/hook               | resolves to the Azure wire server address"
            + " 168.63.129.16",
        "http://localhost:8080/hook              | resolves to a loopback address 127.0.0.1",
        "https://internal.example/hook           | resolves to a private address 10.0.0.1",
        "https://mapped.example/hook             | resolves to a private address"
            + " 0:0:0:0:0:ffff:a00:1"
      })
  void refusesATargetThatReachesANonPublicAddress(String url, String reason) {
    assertThatExceptionOfType(WebhookTargetRefusedException.class)
        .isThrownBy(() -> guard.vet(url))
        .withMessage(reason);
  }

  @Test
  void refusesATargetWhenAnyOfItsAddressesIsNonPublic() {
    assertThatExceptionOfType(WebhookTargetRefusedException.class)
        .isThrownBy(() -> guard.vet("https://mixed.example/hook"))
        .withMessage("resolves to a private address 10.0.0.1");
  }

  @Test
  void passesAPublicTargetWithTheAddressesItVetted() throws Exception {
    VettedTarget target = guard.vet("https://hooks.example/hook");

    assertThat(target.uri()).isEqualTo(URI.create("https://hooks.example/hook"));
    assertThat(target.addresses()).containsExactly(address("93.184.216.34"));
  }

  @Test
  void letsAnAllowedCidrBlockThroughAndNothingBeyondIt() throws Exception {
    WebhookTargetGuard allowingLoopback = new WebhookTargetGuard(List.of("127.0.0.1/32"), DNS);

    assertThat(allowingLoopback.vet("http://127.0.0.1:8080/hook").addresses())
        .containsExactly(address("127.0.0.1"));
    assertThatExceptionOfType(WebhookTargetRefusedException.class)
        .isThrownBy(() -> allowingLoopback.vet("http://127.0.0.2:8080/hook"));
  }

  @Test
  void letsAnAllowedHostThrough() throws Exception {
    WebhookTargetGuard allowingReceiver = new WebhookTargetGuard(List.of("Receiver.Internal"), DNS);

    assertThat(allowingReceiver.vet("http://receiver.internal/hook").addresses())
        .containsExactly(address("10.1.2.3"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "file:///etc/passwd                | the URL scheme must be https or http",
        "gopher://hooks.example/           | the URL scheme must be https or http",
        "/relative/hook                    | the URL scheme must be https or http",
        "https:///hook                     | the URL has no host",
        "https://user:pw@hooks.example/    | the URL must not carry user info",
        "https://hooks.example/a b         | not a valid URL: Illegal character in path"
      })
  void refusesAUrlItCannotDeliverTo(String url, String reason) {
    assertThatExceptionOfType(WebhookTargetRefusedException.class)
        .isThrownBy(() -> guard.vet(url))
        .withMessage(reason);
  }

  @Test
  void reportsAHostThatDoesNotResolve() {
    assertThatExceptionOfType(UnknownHostException.class)
        .isThrownBy(() -> guard.vet("https://nowhere.example/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "::1/129"})
  void rejectsAMalformedAllowListEntry(String entry) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new WebhookTargetGuard(List.of(entry), DNS));
  }

  private static DnsResolver names(Map<String, List<InetAddress>> records) {
    return host -> {
      List<InetAddress> addresses = records.get(host);
      if (addresses == null) {
        throw new UnknownHostException(host);
      }
      return addresses;
    };
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** Java turns {@code ::ffff:a.b.c.d} literals into IPv4 addresses; a resolver need not. */
  private static InetAddress ipv4MappedIpv6(int a, int b, int c, int d) {
    byte[] bytes = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d
    };
    try {
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
