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
 * @param body the JSON body template (JSON, form and urlencoded bodies), or null (allowed for GET and DELETE only,
 *     and for text templates)
 * @param events the event names, or null (a default-channel profile taking every non-sms event)
 * @param declaredBodyType the {@code body_type} the account chose, or null (JSON, or a form when the headers ask)
 * @param textBody the string template of an {@code xml}, {@code html} or {@code text} body, else null
 * @param auth how callbacks authenticate to the receiver, or null
 * @param policy the profile's own delivery settings, {@link ProfilePolicy#DEFAULTS} when it has none
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
    Map<String, String> replacers,
    BodyType declaredBodyType,
    String textBody,
    CallbackAuth auth,
    ProfilePolicy policy) {

  /** A JSON-bodied profile without callback authentication. */
  public ProfileSpec(String title, CallbackMethod httpMethod, String url, Map<String, String> headers, JsonObject body,
      String responseMessage, Encryption enc, ProfileChannel channel, List<String> events, JsonObject dynamicVariables,
      Map<String, String> replacers) {
    this(title, httpMethod, url, headers, body, responseMessage, enc, channel, events, dynamicVariables, replacers,
        null, null, null, ProfilePolicy.DEFAULTS);
  }

  public ProfileSpec {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(httpMethod, "httpMethod");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(channel, "channel");
    headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    replacers = replacers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replacers));
    events = events == null ? null : List.copyOf(events);
    policy = policy == null ? ProfilePolicy.DEFAULTS : policy;
  }

  /**
   * The body type callbacks are sent with: the declared one, else {@link BodyType#FORM} when the headers ask for
   * multipart/form-data (as before {@code body_type} could be chosen), else {@link BodyType#JSON}.
   */
  public BodyType bodyType() {
    if (declaredBodyType != null) {
      return declaredBodyType;
    }
    return contentTypeHeader().filter(v -> v.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")).isPresent()
        ? BodyType.FORM : BodyType.JSON;
  }

  /** The Content-Type the profile's headers set, if any. */
  public java.util.Optional<String> contentTypeHeader() {
    return headers.entrySet().stream()
        .filter(h -> h.getKey().equalsIgnoreCase("content-type"))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The templates and variable sources the replacer renderer works from. */
  public CallbackTemplate template() {
    return new CallbackTemplate(url, headers, body, responseMessage, replacers, dynamicVariables, textBody);
  }
}
