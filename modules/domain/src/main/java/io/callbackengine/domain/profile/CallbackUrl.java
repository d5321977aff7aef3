package io.callbackengine.domain.profile;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A callback URL as the dispatcher connects to it: {@code http} or {@code https}, a host it can reach (an ASCII
 * host name, an IPv4 address or a bracketed IPv6 address; an internationalized name must be given in its
 * {@code xn--} form), a port from 1 to 65535. The one rule for both sides: registration checks a profile's URL
 * with it (placeholders read as a letter), and the dispatcher parses each rendered URL with it, so a URL that
 * registers is a URL that can be sent to.
 *
 * <p>Refusals never quote the URL: it may carry credentials or rendered secrets.
 */
public record CallbackUrl(boolean tls, String host, int port, String pathAndQuery) {

  /** The URL's parts, or why it cannot be sent to, as the end of a sentence starting with the field name. */
  public static Parsed parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Parsed.refused("must be a valid absolute http or https URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return Parsed.refused("must be an absolute URL with scheme http or https");
    }
    if (uri.getHost() == null) {
      // java.net.URI falls back to a "registry-based" authority when the host is no valid name or address.
      return Parsed.refused(uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty() ? "must name a host"
          : "must name its host as an ASCII host name (an internationalized name in its xn-- form), an IPv4 "
              + "address or a bracketed IPv6 address, and a port from 1 to 65535");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      return Parsed.refused("must have a port from 1 to 65535");
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    String pathAndQuery = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new Parsed(Optional.of(new CallbackUrl(tls, host, port, pathAndQuery)), Optional.empty());
  }

  /** Either a URL or the reason there is none. */
  public record Parsed(Optional<CallbackUrl> url, Optional<String> problem) {

    static Parsed refused(String problem) {
      return new Parsed(Optional.empty(), Optional.of(problem));
    }
  }
}
