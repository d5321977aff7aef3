package io.callbackengine.domain.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a callback's body is shaped (API.md §13). {@link #JSON}, {@link #FORM} and {@link #URLENCODED} take a JSON
 * object template whose top-level fields become the body's members or form fields; {@link #XML}, {@link #HTML} and
 * {@link #TEXT} take a string template whose placeholders are only the names the profile declares.
 */
public enum BodyType {
  JSON(null, "application/json"),
  FORM("form", "multipart/form-data"),
  URLENCODED("urlencoded", "application/x-www-form-urlencoded"),
  XML("xml", "application/xml; charset=utf-8"),
  HTML("html", "text/html; charset=utf-8"),
  TEXT("text", "text/plain; charset=utf-8");

  private final String wireName;
  private final String contentType;

  BodyType(String wireName, String contentType) {
    this.wireName = wireName;
    this.contentType = contentType;
  }

  /** The API's {@code body_type}: null for JSON, as the Kaleyra samples show. */
  public String wireName() {
    return wireName;
  }

  /** The Content-Type sent unless the profile's headers set one (multipart adds its boundary). */
  public String contentType() {
    return contentType;
  }

  /** Whether the body template is a string with declared placeholders rather than a JSON object. */
  public boolean isTextTemplate() {
    return this == XML || this == HTML || this == TEXT;
  }

  /** The type a request names; {@code "json"} is accepted for JSON beside null. */
  public static Optional<BodyType> fromWireName(String name) {
    if (name.toLowerCase(Locale.ROOT).equals("json")) {
      return Optional.of(JSON);
    }
    return Arrays.stream(values()).filter(t -> name.equals(t.wireName)).findFirst();
  }

  /** The names a request may use, for error messages. */
  public static List<String> wireNames() {
    return List.of("json", "form", "urlencoded", "xml", "html", "text");
  }
}
