package io.callbackengine.dispatcher;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One callback ready to send (with its own timeout, or null for the sender's): method, rendered URL, every header (the profile's, content type, user agent and the
 * Standard Webhooks headers), and the exact body bytes that were signed. {@code unknownPlaceholders} goes on the
 * attempt's record. {@link #toString()} leaves headers and body out: they may carry the receiver's credentials.
 */
public record CallbackRequest(String method, String url, List<Map.Entry<String, String>> headers, Buffer body,
    Set<String> unknownPlaceholders, java.time.Duration timeout) {

  /** A request sent with the sender's own timeout. */
  public CallbackRequest(String method, String url, List<Map.Entry<String, String>> headers, Buffer body,
      Set<String> unknownPlaceholders) {
    this(method, url, headers, body, unknownPlaceholders, null);
  }

  /** This request with its own whole-request timeout (a profile's policy). */
  public CallbackRequest withTimeout(java.time.Duration newTimeout) {
    return new CallbackRequest(method, url, headers, body, unknownPlaceholders, newTimeout);
  }

  /** This request with one more header, e.g. the {@code Authorization} a profile's auth gives. */
  public CallbackRequest withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new java.util.ArrayList<>(headers.size() + 1);
    more.addAll(headers);
    more.add(new java.util.AbstractMap.SimpleImmutableEntry<>(name, value));
    return new CallbackRequest(method, url, more, body, unknownPlaceholders, timeout);
  }

  @Override
  public String toString() {
    return "CallbackRequest[" + method + ", " + body.length() + " bytes]";
  }
}
