package io.callbackengine.domain.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.problem.ArbitraryJson;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link HostLiteral} reads every spelling of an address as that address, and any text at all without throwing.
 * The expected address always comes from the JDK ({@link InetAddress#getByAddress(byte[])}), never from HostLiteral.
 */
class HostLiteralProperties {

  /** An IPv6 address and how it is written: groups compressed or not, case, padding, a dotted-quad tail, a zone. */
  record Ipv6Spelling(List<Integer> groups, boolean compress, boolean upperCase, boolean padded, boolean quadTail,
      String zone, boolean bracketed) {

    String text() {
      int hexGroups = quadTail ? 6 : 8;
      List<String> written = new ArrayList<>();
      for (int i = 0; i < hexGroups; i++) {
        String hex = Integer.toHexString(groups.get(i));
        hex = padded ? "0".repeat(4 - hex.length()) + hex : hex;
        written.add(upperCase ? hex.toUpperCase(Locale.ROOT) : hex);
      }
      String text = String.join(":", written);
      int[] run = longestZeroRun(hexGroups);
      if (compress && run[1] > 0) {
        text = String.join(":", written.subList(0, run[0])) + "::"
            + String.join(":", written.subList(run[0] + run[1], hexGroups));
      }
      if (quadTail) {
        String quad = (groups.get(6) >> 8) + "." + (groups.get(6) & 0xFF) + "." + (groups.get(7) >> 8) + "."
            + (groups.get(7) & 0xFF);
        text = text.endsWith(":") ? text + quad : text + ":" + quad;
      }
      text += zone;
      return bracketed ? "[" + text + "]" : text;
    }

    /** Start and length of the longest run of zero groups among the first {@code count}. */
    private int[] longestZeroRun(int count) {
      int[] best = {0, 0};
      for (int start = 0; start < count; start++) {
        int length = 0;
        while (start + length < count && groups.get(start + length) == 0) {
          length++;
        }
        if (length > best[1]) {
          best = new int[] {start, length};
        }
      }
      return best;
    }

    InetAddress inetAddress() throws UnknownHostException {
      byte[] bytes = new byte[16];
      for (int i = 0; i < 8; i++) {
        bytes[2 * i] = (byte) (groups.get(i) >> 8);
        bytes[2 * i + 1] = (byte) (int) groups.get(i);
      }
      return InetAddress.getByAddress(bytes);
    }

    @Override
    public String toString() {
      return text();
    }
  }

  @Provide
  Arbitrary<Ipv4Spelling> ipv4Spellings() {
    return Ipv4Spelling.any();
  }

  @Provide
  Arbitrary<Ipv6Spelling> ipv6Spellings() {
    // Zero groups are common so that "::" runs of every length and place come up.
    Arbitrary<Integer> group = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)),
        Tuple.of(1, Arbitraries.integers().between(0, 0xFFFF)), Tuple.of(1, Arbitraries.of(1, 0xFFFF)));
    Arbitrary<Boolean> flag = Arbitraries.of(true, false);
    return Combinators.combine(group.list().ofSize(8), flag, flag, flag, flag,
            Arbitraries.of("", "", "%eth0", "%25eth0", "%1"), flag)
        .as(Ipv6Spelling::new);
  }

  /** Text a host might hold: hostile strings, and strings of the characters address literals are made of. */
  @Provide
  Arbitrary<String> hosts() {
    Arbitrary<String> literalish = Arbitraries.strings().withChars("0123456789abcdefABCDEFxX.:[]%").ofMaxLength(40);
    Arbitrary<Long> number = Arbitraries.longs().between(0, 0x1_0000_0010L);
    Arbitrary<String> numericParts = Arbitraries.oneOf(number.map(v -> Long.toString(v)),
            number.map(v -> "0x" + Long.toHexString(v)), number.map(v -> "0" + Long.toOctalString(v)),
            Arbitraries.of("", "08", "0x", "0xg", "1e3", "-1", "٣"))
        .list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts));
    return Arbitraries.oneOf(ArbitraryJson.strings(), literalish, numericParts);
  }

  @Property
  void everySpellingOfAnIpv4AddressIsThatAddress(@ForAll("ipv4Spellings") Ipv4Spelling spelling) {
    assertThat(HostLiteral.parse(spelling.text())).contains(spelling.inetAddress());
  }

  @Property
  void theFourCommonSpellingsAgree(@ForAll("ipv4Spellings") Ipv4Spelling spelling) {
    long a = spelling.address();
    String dotted = (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    Optional<InetAddress> expected = Optional.of(spelling.inetAddress());

    assertThat(HostLiteral.parse(dotted)).isEqualTo(expected);
    assertThat(HostLiteral.parse(Long.toString(a))).isEqualTo(expected);
    assertThat(HostLiteral.parse("0x" + Long.toHexString(a))).isEqualTo(expected);
    assertThat(HostLiteral.parse("0" + Long.toOctalString(a))).isEqualTo(expected);
  }

  @Property
  void anIpv4PartOutOfRangeIsAName(@ForAll("ipv4Spellings") Ipv4Spelling spelling) {
    // One more than the largest value the last part may hold: inet_aton refuses it, so HostLiteral must too.
    int lastBits = 8 * (4 - (spelling.parts() - 1));
    String text = spelling.text();
    String head = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    int cut = head.lastIndexOf('.');
    String tooLarge = (cut < 0 ? "" : head.substring(0, cut + 1)) + Long.toString(1L << lastBits);

    assertThat(HostLiteral.parse(tooLarge)).isEmpty();
  }

  @Property
  void everySpellingOfAnIpv6AddressIsThatAddress(@ForAll("ipv6Spellings") Ipv6Spelling spelling)
      throws UnknownHostException {
    assertThat(HostLiteral.parse(spelling.text())).contains(spelling.inetAddress());
  }

  @Property
  void anyTextIsAnAddressOrEmptyAndAnAddressReadsBackAsItself(@ForAll("hosts") String host) {
    Optional<InetAddress> address = HostLiteral.parse(host);

    address.ifPresent(found -> {
      assertThat(HostLiteral.parse(found.getHostAddress())).contains(found);
      if (!host.startsWith("[") && host.indexOf(':') < 0) {
        assertThat(host).matches("[0-9a-fA-FxX.]+");
      }
    });
  }
}
