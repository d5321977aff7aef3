package io.callbackengine.domain.template;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A path into a JSON object, as written inside a placeholder: {@code status}, {@code address.city},
 * {@code parts[0]}, {@code a.b[2].c}, {@code list[0][1]}.
 *
 * <p>Grammar: a name {@code [A-Za-z_][A-Za-z0-9_-]*}, then any number of {@code .name} or
 * {@code [digits]}. Nothing else is allowed: no spaces, no quotes, no negative or empty indexes.
 * An index too large for an {@code int} is refused, as no array could hold it.
 *
 * @param text     the path as written
 * @param segments the steps from the root, never empty for a parsed path
 */
public record VariablePath(String text, List<Segment> segments) {

  /** One step of a path. */
  public sealed interface Segment permits Field, Index {
  }

  /** Steps into an object's member. */
  public record Field(String name) implements Segment {
    public Field {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Steps into an array's element, counted from 0. */
  public record Index(int position) implements Segment {
    public Index {
      if (position < 0) {
        throw new IllegalArgumentException("index must not be negative: " + position);
      }
    }
  }

  public VariablePath {
    Objects.requireNonNull(text, "text");
    segments = List.copyOf(segments);
  }

  /** The path written as {@code text}, or empty when it does not follow the grammar. */
  public static Optional<VariablePath> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    // A hand-written scanner: this runs for every placeholder of every callback.
    List<Segment> segments = new ArrayList<>(4);
    int end = nameEnd(text, 0);
    if (end < 0) {
      return Optional.empty();
    }
    segments.add(new Field(text.substring(0, end)));
    int i = end;
    int length = text.length();
    while (i < length) {
      char c = text.charAt(i);
      if (c == '.') {
        end = nameEnd(text, i + 1);
        if (end < 0) {
          return Optional.empty();
        }
        segments.add(new Field(text.substring(i + 1, end)));
        i = end;
      } else if (c == '[') {
        long position = 0;
        int j = i + 1;
        while (j < length && isDigit(text.charAt(j))) {
          position = position * 10 + (text.charAt(j) - '0');
          if (position > Integer.MAX_VALUE) {
            return Optional.empty();
          }
          j++;
        }
        if (j == i + 1 || j >= length || text.charAt(j) != ']') {
          return Optional.empty();
        }
        segments.add(new Index((int) position));
        i = j + 1;
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(new VariablePath(text, segments));
  }

  /**
   * The value this path reaches in {@code root}: empty when any step is missing (no such member,
   * index out of range, or a step into something that is not an object or array); otherwise the
   * value, which may be JSON null.
   */
  public Optional<VariableValue> resolveIn(JsonObject root) {
    Object current = root;
    for (Segment segment : segments) {
      if (segment instanceof Field field) {
        if (!(current instanceof JsonObject object) || !object.containsKey(field.name())) {
          return Optional.empty();
        }
        current = object.getValue(field.name());
      } else {
        int position = ((Index) segment).position();
        if (!(current instanceof JsonArray array) || position >= array.size()) {
          return Optional.empty();
        }
        current = array.getValue(position);
      }
    }
    return Optional.of(new VariableValue(current));
  }

  /** Index just past a name starting at {@code start}, or -1 when none starts there. */
  private static int nameEnd(String text, int start) {
    int length = text.length();
    if (start >= length || !isNameStart(text.charAt(start))) {
      return -1;
    }
    int i = start + 1;
    while (i < length && isNamePart(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isNameStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || isDigit(c) || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
