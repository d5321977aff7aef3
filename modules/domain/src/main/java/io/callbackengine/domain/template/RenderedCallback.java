package io.callbackengine.domain.template;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One callback with every placeholder replaced.
 *
 * @param url                 the URL, substituted values percent-encoded
 * @param headers             header name → value, in template order
 * @param body                a new JSON object (never the template's), or {@code null} when the template has none
 * @param textBody            the rendered text body (values escaped and encrypted as the body type asks), or
 *                            {@code null} when the template has none
 * @param responseMessage     the rendered response message, or {@code null}
 * @param unknownPlaceholders the placeholders nothing resolved, in order of first appearance;
 *                            they rendered as empty text and are noted on the attempt
 */
public record RenderedCallback(
    String url,
    Map<String, String> headers,
    JsonObject body,
    String textBody,
    String responseMessage,
    Set<String> unknownPlaceholders) {

  public RenderedCallback {
    Objects.requireNonNull(url, "url");
    headers = headers == null || headers.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    unknownPlaceholders = unknownPlaceholders == null || unknownPlaceholders.isEmpty()
        ? Set.of()
        : Collections.unmodifiableSet(new LinkedHashSet<>(unknownPlaceholders));
  }
}
