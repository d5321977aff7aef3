package io.callbackengine.domain.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

  private final AddressPolicy policy = new AddressPolicy(List.of());

  /** Every way of writing a host that must be refused or allowed, as it comes out of a URL. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1             | loopback address",
      "2130706433            | loopback address",
      "0x7f000001            | loopback address",
      "0177.0.0.1            | loopback address",
      "127.1                 | loopback address",
      "0                     | unspecified address",
      "0.0.0.0               | unspecified address",
      "10.0.0.1              | private address",
      "172.16.5.4            | private address",
      "172.32.0.1            | ",
      "192.168.1.1           | private address",
      "169.254.169.254       | link-local address",
      "100.64.0.1            | carrier-grade NAT address",
      "100.128.0.1           | ",
      "192.0.0.8             | reserved address",
      "192.0.2.1             | documentation address",
      "192.88.99.1           | reserved address",
      "198.18.0.1            | benchmarking address",
      "198.51.100.7          | documentation address",
      "203.0.113.9           | documentation address",
      "224.0.0.1             | multicast address",
      "239.255.255.250       | multicast address",
      "240.0.0.1             | reserved address",
      "255.255.255.255       | broadcast address",
      "[::1]                 | loopback address",
      "[::]                  | unspecified address",
      "[fd00::1]             | unique-local IPv6 address",
      "[fc00::1]             | unique-local IPv6 address",
      "[fe80::1%25eth0]      | link-local address",
      "[fec0::1]             | site-local address",
      "[ff02::1]             | multicast address",
      "[2001:db8::1]         | documentation address",
      "[100::1]              | discard-only address",
      "[::ffff:127.0.0.1]    | loopback address",
      "[::ffff:7f00:1]       | loopback address",
      "[::ffff:a9fe:a9fe]    | link-local address",
      "[::7f00:1]            | loopback address",
      "[::10.0.0.1]          | private address",
      "[64:ff9b::7f00:1]     | loopback address",
      "[64:ff9b::808:808]    | ",
      "[64:ff9b:1::a00:1]    | private address",
      "[2002:7f00:1::]       | loopback address",
      "[2002:c0a8:101::1]    | private address",
      "[2002:808:808::1]     | ",
      "[2001:0:4136:e378:8000:63bf:80ff:fffe] | loopback address",
      "[2001:0:4136:e378:8000:63bf:f7f7:f7f7] | ",
      "[4000::1]             | reserved address",
      "[5f00::1]             | reserved address",
      "8.8.8.8               | ",
      "93.184.216.34         | ",
      "[2606:4700::1111]     | ",
      "[2a00:1450:4001::200e] | ",
  })
  void judgesEveryFormOfAHost(String host, String reason) {
    InetAddress address = HostLiteral.parse(host).orElseThrow();
    if (reason == null) {
      assertThat(policy.refusal(address)).isEmpty();
      assertThat(policy.permits(address)).isTrue();
    } else {
      assertThat(policy.refusal(address)).contains(reason);
      assertThat(policy.permits(address)).isFalse();
    }
  }

  @Test
  void hostnamesAreLeftToTheResolver() {
    assertThat(HostLiteral.parse("example.com")).isEmpty();
    assertThat(HostLiteral.parse("localhost")).isEmpty();
    assertThat(HostLiteral.parse("1.2.3.4.nip.io")).isEmpty();
  }

  @Test
  void ipv4MappedIsJudgedAsIpv4EvenWhenJavaKeepsItAsIpv6() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
    InetAddress asIpv6 = Inet6Address.getByAddress(null, mapped, -1);
    assertThat(asIpv6).isInstanceOf(Inet6Address.class);
    assertThat(policy.refusal(asIpv6)).contains("loopback address");
    assertThat(InetAddress.getByAddress(mapped)).isNotInstanceOf(Inet6Address.class);
    assertThat(policy.refusal(InetAddress.getByAddress(mapped))).contains("loopback address");

    byte[] public8888 = mapped.clone();
    public8888[12] = 8;
    public8888[13] = 8;
    public8888[14] = 8;
    public8888[15] = 8;
    assertThat(policy.permits(Inet6Address.getByAddress(null, public8888, -1))).isTrue();
  }

  @Test
  void anAllowedBlockOpensExactlyItsAddresses() {
    AddressPolicy local = new AddressPolicy(CidrBlock.parseList("127.0.0.1/32"));
    assertThat(local.permits(ip("127.0.0.1"))).isTrue();
    assertThat(local.permits(ip("2130706433"))).isTrue();
    assertThat(local.refusal(ip("127.0.0.2"))).contains("loopback address");
    assertThat(local.refusal(ip("10.0.0.1"))).contains("private address");
    assertThat(local.permits(ip("[::ffff:127.0.0.1]"))).isTrue();
    assertThat(local.refusal(ip("[::1]"))).contains("loopback address");
  }

  @Test
  void anAllowedIpv6BlockOpensIpv6() {
    AddressPolicy ula = new AddressPolicy(CidrBlock.parseList("fd00:1::/32, ::1"));
    assertThat(ula.permits(ip("[fd00:1::5]"))).isTrue();
    assertThat(ula.permits(ip("[::1]"))).isTrue();
    assertThat(ula.permits(ip("[fd00:2::5]"))).isFalse();
  }

  @Test
  void anEmbeddedAddressAlsoConsultsTheAllowedBlocks() {
    AddressPolicy internal = new AddressPolicy(CidrBlock.parseList("10.1.0.0/16"));
    assertThat(internal.permits(ip("[64:ff9b::a01:203]"))).isTrue();
    assertThat(internal.permits(ip("[64:ff9b::a02:203]"))).isFalse();
  }

  private static InetAddress ip(String literal) {
    return HostLiteral.parse(literal).orElseThrow();
  }
}
