package io.callbackengine.domain.network;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A block of IPv4 or IPv6 addresses written in CIDR notation, such as {@code 10.0.0.0/8} or {@code fd00::/8}.
 *
 * <p>An address belongs to the block when its first {@code prefixLength} bits equal those of
 * {@code network}. Host bits given in the text are cleared, so {@code 10.1.2.3/8} is the same block as
 * {@code 10.0.0.0/8}. IPv4 blocks contain only IPv4 addresses and IPv6 blocks only IPv6 addresses.
 *
 * @param network      the first address of the block
 * @param prefixLength how many leading bits are fixed: 0–32 for IPv4, 0–128 for IPv6
 */
public record CidrBlock(InetAddress network, int prefixLength) {

  public CidrBlock {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " is outside 0.." + bits + " for " + network.getHostAddress());
    }
    network = address(masked(network.getAddress(), prefixLength));
  }

  /**
   * Reads {@code address/prefix}; a bare address is a block of one ({@code /32} or {@code /128}).
   *
   * @throws IllegalArgumentException when the text is not an IP address with an optional valid prefix
   */
  public static CidrBlock parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a CIDR block is required, e.g. 10.0.0.0/8 or fd00::/8");
    }
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress network = HostLiteral.parse(address).orElseThrow(() -> new IllegalArgumentException(
        "'" + trimmed + "' is not a CIDR block: '" + address + "' is not an IP address"));
    if (slash < 0) {
      return new CidrBlock(network, network.getAddress().length * 8);
    }
    String prefix = trimmed.substring(slash + 1);
    if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "'" + trimmed + "' is not a CIDR block: prefix length '" + prefix + "' is not a number");
    }
    return new CidrBlock(network, Integer.parseInt(prefix));
  }

  /** Reads a comma-separated list such as {@code 127.0.0.1/32, 10.0.0.0/8}; blank text is no blocks. */
  public static List<CidrBlock> parseList(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    return Arrays.stream(commaSeparated.split(",", -1)).map(CidrBlock::parse).toList();
  }

  /** Whether the address is in this block; an address of the other IP version never is. */
  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    byte[] base = network.getAddress();
    if (candidate.length != base.length) {
      return false;
    }
    return Arrays.equals(masked(candidate, prefixLength), base);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }

  private static byte[] masked(byte[] bytes, int prefixLength) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
      out[i] &= (byte) (0xFF << (8 - keep));
    }
    return out;
  }

  private static InetAddress address(byte[] bytes) {
    try {
      // Inet6Address keeps 16 bytes as IPv6 even when they look IPv4-mapped, so the family never changes.
      return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException("4 or 16 bytes are always a valid address", impossible);
    }
  }
}
