package io.callbackengine.domain.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.network.Ipv4Spelling;
import io.callbackengine.domain.problem.ArbitraryJson;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CallbackUrlRule} never throws; refuses loopback, private and link-local IPv4 literals however they are
 * spelled; and accepts ordinary https URLs on a public name.
 */
class CallbackUrlRuleProperties {

  private final CallbackUrlRule rule = new CallbackUrlRule(new AddressPolicy(List.of()));

  /** Hostile text, and text shaped like a URL around hostile pieces, so the checks behind the parse run too. */
  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> piece = ArbitraryJson.strings(4);
    Arbitrary<String> shaped = Combinators.combine(
            Arbitraries.of("http://", "https://", "HTTP://", "ftp://", "http:", "//", "http:///", ""),
            Arbitraries.of("", "user@", "u:p@", "a@b@"),
            Arbitraries.oneOf(piece, Arbitraries.of("\u2460\u2461\u2466.0.0.1", "127\u30020\u30020\u30021",
                "b\u00fccher.example", "under_score.example", "xn--bcher-kva.example", "[::1", "93.184.216.34")),
            Arbitraries.of("", ":80", ":", ":99999", ":x", ":0", ":65535", ":65536", ":-1"), Arbitraries.of("", "/", "/<x>", "?q=1", "#f"), piece)
        .as((scheme, user, host, port, path, tail) -> scheme + user + host + port + path + tail);
    return Arbitraries.oneOf(ArbitraryJson.strings(), shaped, ArbitraryProfiles.urls());
  }

  /**
   * Registration and the dispatcher agree (issue 11: hosts such as {@code 127。0。0。1} registered, then every
   * attempt failed "invalid URL after rendering"): a URL the rule accepts, its placeholders rendered as plain
   * letters, is one the dispatcher parses to a host and a port it can connect to.
   */
  @Property
  void aUrlThatRegistersIsOneTheDispatcherCanSendTo(@ForAll("urls") String url) {
    if (rule.problem(url).isEmpty()) {
      CallbackUrl.Parsed parsed = CallbackUrl.parse(url.replaceAll("<[^<>\\s]*>", "x"));

      assertThat(parsed.problem()).as(url).isEmpty();
      assertThat(parsed.url()).hasValueSatisfying(u -> {
        assertThat(u.host()).isNotEmpty().isASCII();
        assertThat(u.port()).isBetween(1, 65535);
      });
    }
  }

  /** Spellings of addresses in 127/8, 10/8, 192.168/16 and 169.254/16. */
  @Provide
  Arbitrary<Ipv4Spelling> internalAddresses() {
    return Arbitraries.oneOf(Ipv4Spelling.of(0x7F00_0000L, 8), Ipv4Spelling.of(0x0A00_0000L, 8),
        Ipv4Spelling.of(0xC0A8_0000L, 16), Ipv4Spelling.of(0xA9FE_0000L, 16));
  }

  @Property
  void anyTextGetsAnAnswerAndOnlyHttpUrlsPass(@ForAll("urls") String url) {
    Optional<String> problem = rule.problem(url);

    if (problem.isEmpty()) {
      assertThat(url.length()).isLessThanOrEqualTo(CallbackUrlRule.MAX_LENGTH);
      assertThat(url.toLowerCase(Locale.ROOT)).matches("(?s)https?://.+");
    }
  }

  @Property
  void anInternalAddressIsRefusedHoweverItIsSpelled(@ForAll("internalAddresses") Ipv4Spelling host,
      @ForAll("wrappings") String wrapping) {
    String url = wrapping.replace("HOST", host.text());

    assertThat(rule.problem(url)).as(url).hasValueSatisfying(p -> assertThat(p).contains("blocked address"));
  }

  /** Where the host stands: alone, with user info, a port, a path, in upper-case scheme, IPv4-mapped IPv6. */
  @Provide
  Arbitrary<String> wrappings() {
    return Arbitraries.of("http://HOST/", "https://HOST", "HTTP://HOST:8080/a?b=c", "http://user:pw@HOST/",
        "http://HOST./x", "http://HOST#frag", "https://HOST/<status>");
  }

  /** Every IPv6 form that carries an IPv4 address (AddressPolicy's javadoc lists them) carries the refusal too. */
  @Property
  void anInternalAddressCarriedInIpv6IsRefused(@ForAll("internalAddresses") Ipv4Spelling host,
      @ForAll("ipv6Carriers") String carrier) {
    long a = host.address();
    String dotted = (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    String high = Long.toHexString(a >>> 16);
    String low = Long.toHexString(a & 0xFFFF);
    String url = "http://[" + carrier.replace("QUAD", dotted).replace("HIGH", high).replace("LOW", low)
        .replace("NOT_H", Long.toHexString(~a >>> 16 & 0xFFFF)).replace("NOT_L", Long.toHexString(~a & 0xFFFF)) + "]/";

    assertThat(rule.problem(url)).as(url).hasValueSatisfying(p -> assertThat(p).contains("blocked address"));
  }

  @Provide
  Arbitrary<String> ipv6Carriers() {
    return Arbitraries.of("::ffff:QUAD", "::ffff:HIGH:LOW", "0:0:0:0:0:ffff:HIGH:LOW", "::QUAD", "::HIGH:LOW",
        "64:ff9b::QUAD", "64:ff9b::HIGH:LOW", "64:ff9b:1::HIGH:LOW", "64:ff9b:1:abcd::HIGH:LOW", "2002:HIGH:LOW::",
        "2002:HIGH:LOW:1::1", "2001:0:4136:e378:8000:63bf:NOT_H:NOT_L", "2001::NOT_H:NOT_L");
  }

  @Property
  void aPercentEncodedInternalAddressIsRefused(@ForAll("internalAddresses") Ipv4Spelling host) {
    StringBuilder encoded = new StringBuilder();
    host.text().chars().forEach(c -> encoded.append(String.format("%%%02X", c)));

    assertThat(rule.problem("http://" + encoded + "/")).as(encoded.toString()).isPresent();
  }

  @Property
  void anHttpsUrlOnAPublicNameIsAccepted(@ForAll("labels") String label, @ForAll("paths") String path) {
    String url = "https://" + label + ".example.com/" + path;

    assertThat(rule.problem(url)).as(url).isEmpty();
  }

  @Provide
  Arbitrary<String> labels() {
    return ArbitraryProfiles.labels();
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment = Arbitraries.strings().alpha().numeric().withChars("-._~!$&'()*+,;=:@").ofMaxLength(12);
    return segment.list().ofMaxSize(5).map(segments -> String.join("/", segments));
  }
}
