package io.callbackengine.dispatcher;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One callback ready to send: method, rendered URL, every header (the profile's, content type, user agent and the
 * Standard Webhooks headers), and the exact body bytes that were signed. {@code unknownPlaceholders} goes on the
 * attempt's record. {@link #toString()} leaves headers and body out: they may carry the receiver's credentials.
 */
public record CallbackRequest(String method, String url, List<Map.Entry<String, String>> headers, Buffer body,
    Set<String> unknownPlaceholders) {

  /** This request with one more header, e.g. the {@code Authorization} a profile's auth gives. */
  public CallbackRequest withHeader(String name, String value) {
    List<Map.Entry<String, String>> more = new java.util.ArrayList<>(headers.size() + 1);
    more.addAll(headers);
    more.add(new java.util.AbstractMap.SimpleImmutableEntry<>(name, value));
    return new CallbackRequest(method, url, more, body, unknownPlaceholders);
  }

  @Override
  public String toString() {
    return "CallbackRequest[" + method + ", " + body.length() + " bytes]";
  }
}
