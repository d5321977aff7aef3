package io.callbackengine.domain.problem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * The NUL character (U+0000) is refused wherever text enters: PostgreSQL {@code text} cannot hold it, so a value
 * carrying one would fail at the database long after the request was read. Refusing it at the edge names the field.
 */
public final class NulCharacters {

  private static final char NUL = '\u0000';

  private NulCharacters() {
  }

  public static boolean in(String text) {
    return text != null && text.indexOf(NUL) >= 0;
  }

  /** The violation for the first string (or property name) holding a NUL in a parsed JSON value, if any. */
  public static Optional<Violation> inJson(Object json, Violation.Location location) {
    return Optional.ofNullable(first(json, location.jsonName())).map(path -> new Violation(location, path));
  }

  /** The violation for a text value named {@code field} (for example {@code query/event}) holding a NUL. */
  public static Violation named(Violation.Location location, String field) {
    return new Violation(location, field + " must NOT contain the NUL character (\\u0000)");
  }

  private static String first(Object json, String path) {
    if (json instanceof String text) {
      return in(text) ? path + " must NOT contain the NUL character (\\u0000)" : null;
    }
    if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        if (in(field.getKey())) {
          return path + " must NOT have a property name containing the NUL character (\\u0000)";
        }
        String found = first(field.getValue(), path + "/" + field.getKey());
        if (found != null) {
          return found;
        }
      }
    }
    if (json instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        String found = first(array.getValue(i), path + "/" + i);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
