package io.callbackengine.domain.template;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A variable that was found, holding its JSON value: a {@code String}, a {@code Number}, a
 * {@code Boolean}, a {@link JsonObject}, a {@link JsonArray}, or {@code null} for JSON null.
 *
 * <p>Lookups return {@code Optional<VariableValue>}: an empty optional means the variable is
 * absent (an unknown placeholder), while {@code Optional.of(new VariableValue(null))} means it is
 * present and JSON null. The two render differently, so they must not collapse into one.
 *
 * @param value the JSON value, {@code null} for JSON null
 */
public record VariableValue(Object value) {

  /** Whether the variable is present but JSON null. */
  public boolean isNull() {
    return value == null;
  }

  /**
   * The value as it appears when inserted into text: a string as it is, JSON null as empty text
   * (a message reading "status: null" helps nobody, and empty is what an unknown gives too),
   * numbers and booleans in their JSON form, objects and arrays as compact JSON.
   */
  public String asText() {
    if (value == null) {
      return "";
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof JsonObject object) {
      return object.encode();
    }
    if (value instanceof JsonArray array) {
      return array.encode();
    }
    return Json.encode(value);
  }
}
