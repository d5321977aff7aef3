package io.callbackengine.domain.template;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The parts of a callback profile that hold placeholders, plus what resolves them.
 *
 * <p>{@code body} and {@code dynamicVariables} are kept as given, not copied: the template is
 * read-only by contract and {@link ReplacerRenderer} never mutates it, so the dispatcher can reuse
 * one template for many events without a deep copy each time.
 *
 * @param url              the URL, may hold placeholders
 * @param headers          header name → value template, in the order they are sent; names are not rendered
 * @param body             the JSON body template, or {@code null} for none
 * @param responseMessage  the response message template, or {@code null}
 * @param replacers        placeholder name → path in the event's data, in the profile's order
 * @param dynamicVariables the profile's constants, or {@code null}
 * @param textBody         the string template of an XML, HTML or text body, or {@code null}; in it a {@code <name>} is
 *                         a placeholder only when {@link #declares declared}, so markup stays as written
 */
public record CallbackTemplate(
    String url,
    Map<String, String> headers,
    JsonObject body,
    String responseMessage,
    Map<String, String> replacers,
    JsonObject dynamicVariables,
    String textBody) {

  /** A template without a text body. */
  public CallbackTemplate(String url, Map<String, String> headers, JsonObject body, String responseMessage,
      Map<String, String> replacers, JsonObject dynamicVariables) {
    this(url, headers, body, responseMessage, replacers, dynamicVariables, null);
  }

  public CallbackTemplate {
    Objects.requireNonNull(url, "url");
    headers = orderedCopy(headers);
    replacers = orderedCopy(replacers);
  }

  /**
   * Every placeholder the templates use mapped to the path it reads, then every entry of the
   * explicit {@code replacers} mapping not already listed. Placeholders come in order of first
   * appearance across url, header values, body string values (or the declared placeholders of a text body) and
   * response message. A placeholder
   * reads the path its mapping names, or its own name when it has no mapping. This is what the
   * profile API shows as {@code replacers}.
   */
  public Map<String, String> usedReplacers() {
    Set<String> names = new LinkedHashSet<>();
    Placeholders.collect(url, names);
    for (String value : headers.values()) {
      Placeholders.collect(value, names);
    }
    Placeholders.collect(body, names);
    if (textBody != null) {
      Placeholders.in(textBody).stream().filter(this::declares).forEach(names::add);
    }
    Placeholders.collect(responseMessage, names);
    Map<String, String> used = new LinkedHashMap<>();
    for (String name : names) {
      used.put(name, replacers.getOrDefault(name, name));
    }
    replacers.forEach(used::putIfAbsent);
    return Collections.unmodifiableMap(used);
  }

  /**
   * Whether {@code <name>} in a text body is a placeholder: a key of {@code replacers} or of
   * {@code dynamic_variables}, or a built-in (API.md §13). Every other {@code <…>} there is markup.
   */
  public boolean declares(String name) {
    return replacers.containsKey(name)
        || (dynamicVariables != null && dynamicVariables.containsKey(name))
        || EventVariables.BUILT_IN_NAMES.contains(name);
  }

  private static Map<String, String> orderedCopy(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
