package io.callbackengine.domain.network;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether the engine may open a connection to an address: the SSRF guard of the delivery path.
 *
 * <p>It is applied to the resolved address at connect time, so a name that resolves to an internal
 * address is caught as surely as a literal. Refused are loopback, private, link-local, carrier-grade NAT,
 * multicast, broadcast, documentation, benchmarking, reserved and unspecified ranges of IPv4 and IPv6, and
 * every IPv6 address outside global unicast {@code 2000::/3}.
 *
 * <p>An IPv6 address that carries an IPv4 address is judged as that IPv4 address, because that is where
 * the packets end up: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64
 * {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48} (last 32 bits), 6to4 {@code 2002::/16} (bits 16–47) and
 * Teredo {@code 2001::/32} (last 32 bits, inverted: the client address is stored XOR {@code 0xffffffff}).
 *
 * <p>An address inside one of the {@code allowed} blocks is permitted whatever its range; this is how a
 * deployment opens, say, {@code 127.0.0.1/32} for a local receiver.
 */
public final class AddressPolicy {

  private record Range(CidrBlock block, String reason) {
  }

  /** Where an IPv6 prefix carries an IPv4 address: byte offset, and the mask it is stored XOR-ed with. */
  private record Embedding(CidrBlock prefix, int offset, int xor) {
  }

  // Order matters: the broadcast address must be named before the 240/4 block that holds it.
  private static final List<Range> IPV4 = List.of(
      range("0.0.0.0/8", "unspecified address"),
      range("10.0.0.0/8", "private address"),
      range("100.64.0.0/10", "carrier-grade NAT address"),
      range("127.0.0.0/8", "loopback address"),
      range("169.254.0.0/16", "link-local address"),
      range("172.16.0.0/12", "private address"),
      range("192.0.0.0/24", "reserved address"),
      range("192.0.2.0/24", "documentation address"),
      range("192.88.99.0/24", "reserved address"),
      range("192.168.0.0/16", "private address"),
      range("198.18.0.0/15", "benchmarking address"),
      range("198.51.100.0/24", "documentation address"),
      range("203.0.113.0/24", "documentation address"),
      range("224.0.0.0/4", "multicast address"),
      range("255.255.255.255/32", "broadcast address"),
      range("240.0.0.0/4", "reserved address"));

  // Checked before the embeddings: :: and ::1 sit inside the IPv4-compatible ::/96.
  private static final List<Range> IPV6 = List.of(
      range("::/128", "unspecified address"),
      range("::1/128", "loopback address"),
      range("fc00::/7", "unique-local IPv6 address"),
      range("fe80::/10", "link-local address"),
      range("fec0::/10", "site-local address"),
      range("ff00::/8", "multicast address"),
      range("2001:db8::/32", "documentation address"),
      range("100::/64", "discard-only address"));

  private static final List<Embedding> EMBEDDINGS = List.of(
      new Embedding(ipv4MappedPrefix(), 12, 0),
      new Embedding(CidrBlock.parse("::/96"), 12, 0),
      new Embedding(CidrBlock.parse("64:ff9b::/96"), 12, 0),
      new Embedding(CidrBlock.parse("64:ff9b:1::/48"), 12, 0),
      new Embedding(CidrBlock.parse("2002::/16"), 2, 0),
      new Embedding(CidrBlock.parse("2001::/32"), 12, 0xFF));

  private static final CidrBlock GLOBAL_UNICAST = CidrBlock.parse("2000::/3");

  private final List<CidrBlock> allowed;

  /** @param allowed blocks that are permitted even when they fall in a refused range */
  public AddressPolicy(List<CidrBlock> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** @return a short reason such as "loopback address" when the address is refused, empty when permitted */
  public Optional<String> refusal(InetAddress address) {
    if (allowed.stream().anyMatch(block -> block.contains(address))) {
      return Optional.empty();
    }
    if (address.getAddress().length == 4) {
      return firstReason(IPV4, address);
    }
    Optional<String> listed = firstReason(IPV6, address);
    if (listed.isPresent()) {
      return listed;
    }
    for (Embedding embedding : EMBEDDINGS) {
      if (embedding.prefix().contains(address)) {
        return refusal(embeddedIpv4(address.getAddress(), embedding));
      }
    }
    return GLOBAL_UNICAST.contains(address) ? Optional.empty() : Optional.of("reserved address");
  }

  /** @return whether a connection to the address is allowed */
  public boolean permits(InetAddress address) {
    return refusal(address).isEmpty();
  }

  @Override
  public String toString() {
    return "AddressPolicy[allowed=" + allowed + "]";
  }

  private static Optional<String> firstReason(List<Range> ranges, InetAddress address) {
    return ranges.stream().filter(r -> r.block().contains(address)).map(Range::reason).findFirst();
  }

  private static InetAddress embeddedIpv4(byte[] ipv6, Embedding embedding) {
    byte[] ipv4 = new byte[4];
    for (int i = 0; i < 4; i++) {
      ipv4[i] = (byte) (ipv6[embedding.offset() + i] ^ embedding.xor());
    }
    return address(ipv4);
  }

  private static Range range(String cidr, String reason) {
    return new Range(CidrBlock.parse(cidr), reason);
  }

  /** ::ffff:0:0/96 cannot be parsed from text: Java turns an IPv4-mapped address into an Inet4Address. */
  private static CidrBlock ipv4MappedPrefix() {
    byte[] bytes = new byte[16];
    bytes[10] = (byte) 0xFF;
    bytes[11] = (byte) 0xFF;
    try {
      return new CidrBlock(Inet6Address.getByAddress(null, bytes, -1), 96);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException("4 bytes are always a valid address", impossible);
    }
  }
}
