package io.callbackengine.domain.profile;

import io.callbackengine.domain.template.CallbackTemplate;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an account defines of a callback profile: where and how to call, the templates, encryption and the events
 * it wants. Always valid: only {@link ProfileInput} builds one from a request. Maps keep the account's order.
 *
 * @param body the body template, or null (allowed for GET and DELETE only)
 * @param events the event names, or null (a default-channel profile taking every non-sms event)
 */
public record ProfileSpec(
    String title,
    CallbackMethod httpMethod,
    String url,
    Map<String, String> headers,
    JsonObject body,
    String responseMessage,
    Encryption enc,
    ProfileChannel channel,
    List<String> events,
    JsonObject dynamicVariables,
    Map<String, String> replacers) {

  public ProfileSpec {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(httpMethod, "httpMethod");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(channel, "channel");
    headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    replacers = replacers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replacers));
    events = events == null ? null : List.copyOf(events);
  }

  /** {@code "form"} when the headers ask for multipart/form-data, else null: the API's {@code body_type}. */
  public String bodyType() {
    return headers.entrySet().stream()
        .filter(h -> h.getKey().equalsIgnoreCase("content-type"))
        .anyMatch(h -> h.getValue().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) ? "form" : null;
  }

  /** The templates and variable sources the replacer renderer works from. */
  public CallbackTemplate template() {
    return new CallbackTemplate(url, headers, body, responseMessage, replacers, dynamicVariables);
  }
}
