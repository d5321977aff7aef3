package io.callbackengine.domain.problem;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads fields of a JSON request object and collects every violation instead of stopping at the first, with
 * messages in the JSON-schema (ajv) style the Kaleyra samples use: {@code body/title must be string},
 * {@code body must have required property 'title'}. Each read returns null when the value is unusable, after
 * noting why.
 */
public final class JsonFieldReader {

  private final Violation.Location location;
  private final List<Violation> violations = new ArrayList<>();

  public JsonFieldReader(Violation.Location location) {
    this.location = location;
  }

  /** Notes {@code "<path> <problem>"}, e.g. {@code fail("body/title", "must be string")}. */
  public void fail(String path, String problem) {
    violations.add(new Violation(location, path + " " + problem));
  }

  public void required(String path, String field) {
    violations.add(new Violation(location, path + " must have required property '" + field + "'"));
  }

  /** Every key of {@code object} outside {@code allowed} is a violation: unknown fields are refused, not ignored. */
  public void onlyKnown(JsonObject object, String path, Set<String> allowed) {
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        fail(path, "must NOT have additional property '" + key + "'");
      }
    }
  }

  public String string(Object value, String path) {
    if (value instanceof String s) {
      return s;
    }
    fail(path, "must be string");
    return null;
  }

  public String boundedString(Object value, String path, int min, int max) {
    String s = string(value, path);
    if (s == null) {
      return null;
    }
    int length = s.codePointCount(0, s.length());
    if (length < min) {
      fail(path, "must NOT have fewer than " + min + " characters");
      return null;
    }
    if (length > max) {
      fail(path, "must NOT have more than " + max + " characters");
      return null;
    }
    return s;
  }

  public Integer integer(Object value, String path) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long v = ((Number) value).longValue();
      if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
        return (int) v;
      }
    }
    fail(path, "must be integer");
    return null;
  }

  public JsonArray array(Object value, String path) {
    if (value instanceof JsonArray a) {
      return a;
    }
    fail(path, "must be array");
    return null;
  }

  /** A JSON object, or a string holding one (the Kaleyra API accepts both for body, headers and the like). */
  public JsonObject objectOrObjectText(Object value, String path) {
    if (value instanceof JsonObject o) {
      return o;
    }
    if (value instanceof String s) {
      try {
        Object parsed = new JsonObject(s);
        return (JsonObject) parsed;
      } catch (DecodeException | ClassCastException e) {
        fail(path, "must be a JSON object or a string holding one");
        return null;
      }
    }
    fail(path, "must be object or string");
    return null;
  }

  public boolean hasViolations() {
    return !violations.isEmpty();
  }

  public List<Violation> violations() {
    return List.copyOf(violations);
  }

  /** Throws the collected violations as one 400, if there are any. */
  public void throwIfInvalid() {
    if (hasViolations()) {
      throw ClientProblem.invalid(violations);
    }
  }
}
