package io.callbackengine.domain.problem;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * Text PostgreSQL can store as it came: no NUL character (U+0000; {@code text} cannot hold it, so the statement
 * fails long after the request was read) and no unpaired UTF-16 surrogate (JSON can spell one, {@code "\ud800"};
 * it has no UTF-8 form, so it would be stored as {@code ?} and read back changed). Refused wherever text enters,
 * naming the field.
 */
public final class StorableText {

  private StorableText() {
  }

  /** What in {@code text} cannot be stored ("the NUL character (\\u0000)"); null when all of it can. */
  public static String defect(String text) {
    if (text == null) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return "the NUL character (\\u0000)";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not valid Unicode";
      }
    }
    return null;
  }

  /** The violation for a text value named {@code field} (for example {@code query/event}), if it cannot be stored. */
  public static Optional<Violation> check(Violation.Location location, String field, String text) {
    return Optional.ofNullable(defect(text)).map(defect -> new Violation(location, field + " must NOT contain " + defect));
  }

  /** The violation for the first string or property name in a parsed JSON value that cannot be stored, if any. */
  public static Optional<Violation> inJson(Object json, Violation.Location location) {
    return Optional.ofNullable(first(json))
        .map(found -> new Violation(location, location.jsonName() + found.path() + found.message()));
  }

  /**
   * A defect found below a JSON value: the path to it from that value ({@code /data/0}, empty for the value itself)
   * and what is wrong. The path is built only for a defect: building it for every field, as until 2026-12-03, cost
   * every publish a string per field of its events.
   */
  private record Found(String path, String message) {

    Found below(String segment) {
      return new Found("/" + segment + path, message);
    }
  }

  private static Found first(Object json) {
    if (json instanceof String text) {
      String defect = defect(text);
      return defect == null ? null : new Found("", " must NOT contain " + defect);
    }
    if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> field : object) {
        String defect = defect(field.getKey());
        if (defect != null) {
          return new Found("", " must NOT have a property name containing " + defect);
        }
        Found found = first(field.getValue());
        if (found != null) {
          return found.below(field.getKey());
        }
      }
    }
    if (json instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        Found found = first(array.getValue(i));
        if (found != null) {
          return found.below(Integer.toString(i));
        }
      }
    }
    return null;
  }
}
