package io.callbackengine.domain.problem;

import java.util.Objects;

/**
 * One thing wrong with a request, and where it is: the API lists these in the envelope's {@code error}
 * array as single-key objects, e.g. {@code {"body": "body/title must NOT have fewer than 3 characters"}}.
 */
public record Violation(Location location, String message) {

  /** The part of the request a violation points at; its JSON name is the key used in the envelope. */
  public enum Location {
    BODY("body"), PARAMS("params"), QUERY("query"), HEADERS("headers");

    private final String jsonName;

    Location(String jsonName) {
      this.jsonName = jsonName;
    }

    public String jsonName() {
      return jsonName;
    }
  }

  public Violation {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  public static Violation body(String message) {
    return new Violation(Location.BODY, message);
  }

  public static Violation params(String message) {
    return new Violation(Location.PARAMS, message);
  }

  public static Violation query(String message) {
    return new Violation(Location.QUERY, message);
  }

  public static Violation headers(String message) {
    return new Violation(Location.HEADERS, message);
  }
}
