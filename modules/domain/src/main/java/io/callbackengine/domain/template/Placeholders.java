package io.callbackengine.domain.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders of the form {@code <name>}, where {@code name} is a {@link VariablePath}.
 *
 * <p>Anything else between angle brackets ({@code <1abc>}, {@code < x>}, {@code <a..b>}) is not a
 * placeholder and stays literal text. In JSON, only string <em>values</em> hold placeholders;
 * member names are never templates.
 */
public final class Placeholders {

  /** Group 1 is the name. Compiled once: it runs for every string of every callback. */
  static final Pattern PATTERN =
      Pattern.compile("<([A-Za-z_][A-Za-z0-9_-]*(?:\\.[A-Za-z_][A-Za-z0-9_-]*|\\[[0-9]+\\])*)>");

  private Placeholders() {
  }

  /** The names of the placeholders in {@code text}, in order of first appearance, each once. */
  public static Set<String> in(String text) {
    Set<String> names = new LinkedHashSet<>();
    collect(text, names);
    return names;
  }

  /**
   * The names of the placeholders in the string values of {@code json} (a {@link JsonObject},
   * {@link JsonArray} or {@code String}, walked depth first), in order of first appearance.
   */
  public static Set<String> in(Object json) {
    Set<String> names = new LinkedHashSet<>();
    collect(json, names);
    return names;
  }

  static void collect(Object json, Set<String> names) {
    if (json instanceof String text) {
      collect(text, names);
    } else if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> member : object) {
        collect(member.getValue(), names);
      }
    } else if (json instanceof JsonArray array) {
      for (Object element : array) {
        collect(element, names);
      }
    } else if (json instanceof Map<?, ?> map) {
      for (Object value : map.values()) {
        collect(value, names);
      }
    } else if (json instanceof List<?> list) {
      for (Object element : list) {
        collect(element, names);
      }
    }
  }

  private static void collect(String text, Set<String> names) {
    if (text == null || text.indexOf('<') < 0) {
      return;
    }
    Matcher matcher = PATTERN.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
  }
}
