package io.callbackengine.domain.profile;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.network.HostLiteral;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registration-time check of a callback URL: at most 2048 characters, not aimed at a blocked address written
 * as a literal (in any of the forms resolvers accept, e.g. {@code http://2130706433/}) or at {@code localhost},
 * and a URL the dispatcher can send to ({@link CallbackUrl}, with placeholders read as a letter). Hostnames are resolved only at connect time, where the
 * dispatcher checks every address again; this rule catches what is wrong before anything is stored.
 */
public final class CallbackUrlRule {

  public static final int MAX_LENGTH = 2048;
  /** Placeholders may stand anywhere in the URL; for parsing they are read as a plain letter. */
  private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>\\s]*>");
  private static final byte[] LOOPBACK = {127, 0, 0, 1};

  private final AddressPolicy policy;

  public CallbackUrlRule(AddressPolicy policy) {
    this.policy = policy;
  }

  /** Why the URL is refused, as the end of a sentence starting with the field name; empty when it is fine. */
  public Optional<String> problem(String url) {
    if (url.length() > MAX_LENGTH) {
      return Optional.of("must NOT have more than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(PLACEHOLDER.matcher(url).replaceAll("x"));
    } catch (URISyntaxException e) {
      return Optional.of("must be a valid absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Optional.of("must be an absolute URL with scheme http or https");
    }
    Optional<String> host = host(uri);
    if (host.isEmpty()) {
      return Optional.of("must name a host");
    }
    Optional<String> blocked = refusal(host.get()).map(reason -> "must not point to a blocked address (" + reason + ")");
    // The host as written is judged first, however lenient its spelling, so a blocked address reads as one.
    return blocked.isPresent() ? blocked : CallbackUrl.parse(uri.toString()).problem();
  }

  private Optional<String> refusal(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    Optional<InetAddress> literal = HostLiteral.parse(name);
    if (literal.isPresent()) {
      return policy.refusal(literal.get());
    }
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      try {
        return policy.refusal(InetAddress.getByAddress(name, LOOPBACK));
      } catch (java.net.UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> host(URI uri) {
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      return Optional.empty();
    }
    int at = authority.lastIndexOf('@');
    String hostPort = authority.substring(at + 1);
    String host;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      host = close < 0 ? hostPort : hostPort.substring(0, close + 1);
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
    try {
      host = URLDecoder.decode(host.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException badEscape) {
      return Optional.empty();
    }
    return host.isEmpty() ? Optional.empty() : Optional.of(host);
  }
}
