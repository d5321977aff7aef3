package io.callbackengine.domain.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One way of writing an IPv4 address that BSD {@code inet_aton} (and so a URL host) reads as that address: one to four
 * parts, each decimal, octal ({@code 0} prefix) or hex ({@code 0x}/{@code 0X}), the last part filling the bytes the
 * others left, e.g. {@code 127.0.0.1}, {@code 2130706433}, {@code 0x7f000001}, {@code 0177.1}, {@code 127.0.0x1.}.
 *
 * @param address     the address as an unsigned 32-bit number
 * @param parts       how many dot-separated parts, 1–4
 * @param radixes     per part: 8, 10 or 16 (only the first {@code parts} are used)
 * @param zeroPadding per part, extra leading zeros for octal and hex parts
 * @param upperCase   whether hex is written {@code 0X7F} rather than {@code 0x7f}
 * @param trailingDot whether the text ends with one dot, as a fully qualified name may
 */
public record Ipv4Spelling(long address, int parts, List<Integer> radixes, List<Integer> zeroPadding, boolean upperCase,
    boolean trailingDot) {

  /** Every spelling of random addresses in {@code base/prefix}. */
  public static Arbitrary<Ipv4Spelling> of(long base, int prefix) {
    long size = 1L << (32 - prefix);
    return Combinators.combine(
            Arbitraries.longs().between(0, size - 1).map(offset -> base + offset),
            Arbitraries.integers().between(1, 4),
            Arbitraries.of(8, 10, 16).list().ofSize(4),
            Arbitraries.integers().between(0, 3).list().ofSize(4),
            Arbitraries.of(true, false),
            Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)))
        .as(Ipv4Spelling::new);
  }

  /** Every spelling of any IPv4 address. */
  public static Arbitrary<Ipv4Spelling> any() {
    return of(0, 0);
  }

  /** The text, e.g. {@code 0x7f.1}. */
  public String text() {
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < parts - 1; i++) {
      values.add((address >>> (8 * (3 - i))) & 0xFF);
    }
    int lastBits = 8 * (4 - (parts - 1));
    values.add(address & (lastBits == 32 ? 0xFFFF_FFFFL : (1L << lastBits) - 1));
    List<String> written = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      written.add(part(values.get(i), radixes.get(i), zeroPadding.get(i)));
    }
    return String.join(".", written) + (trailingDot ? "." : "");
  }

  /** The address as {@link InetAddress} reads four bytes. */
  public InetAddress inetAddress() {
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private String part(long value, int radix, int padding) {
    String zeros = "0".repeat(padding);
    return switch (radix) {
      case 8 -> "0" + zeros + Long.toOctalString(value);
      case 16 -> upperCase
          ? "0X" + zeros + Long.toHexString(value).toUpperCase(Locale.ROOT)
          : "0x" + zeros + Long.toHexString(value);
      default -> Long.toString(value);
    };
  }

  @Override
  public String toString() {
    return text() + " (" + inetAddress().getHostAddress() + ")";
  }
}
