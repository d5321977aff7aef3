package io.callbackengine.dispatcher;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} text (the WHATWG URL standard's serializer, as HTML forms send it):
 * UTF-8, space as {@code +}. Used for {@code urlencoded} callback bodies, one field per top-level member (a
 * non-string value as its compact JSON, null as empty), and for OAuth2 token requests.
 */
final class FormUrlEncoding {

  private FormUrlEncoding() {
  }

  static String encode(JsonObject fields) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Object> field : fields) {
      Object value = field.getValue();
      append(out, field.getKey(), value instanceof String s ? s : value == null ? "" : Json.encode(value));
    }
    return out.toString();
  }

  /** Appends {@code name=value}, preceded by {@code &} unless {@code out} is empty. */
  static StringBuilder append(StringBuilder out, String name, String value) {
    if (out.length() > 0) {
      out.append('&');
    }
    return out.append(encode(name)).append('=').append(encode(value));
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
