package io.callbackengine.api;

import io.callbackengine.domain.problem.JsonFieldReader;
import io.callbackengine.domain.problem.Violation;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * Reads a list route's query parameters ({@code limit}, {@code offset} and filters), collecting every problem as
 * a {@code query} violation. Unknown parameters are refused, so a typo never silently widens a listing.
 */
public final class QueryParameters {

  public static final int DEFAULT_LIMIT = 25;
  public static final int MAX_LIMIT = 100;

  private final RoutingContext ctx;
  private final JsonFieldReader reader = new JsonFieldReader(Violation.Location.QUERY);

  public QueryParameters(RoutingContext ctx, Set<String> known) {
    this.ctx = ctx;
    for (String name : ctx.queryParams().names()) {
      if (!known.contains(name) && !name.equals("limit") && !name.equals("offset")) {
        reader.fail("query", "must NOT have additional property '" + name.replaceAll("\\p{Cntrl}", "?") + "'");
      }
    }
  }

  public int limit() {
    return integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }

  public int offset() {
    return integer("offset", 0, 0, Integer.MAX_VALUE);
  }

  /** A filter's value, null when absent or empty. */
  public String text(String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      reader.fail("query/" + name, "must be given at most once");
    }
    return values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
  }

  /** A filter that must be one of {@code allowed}; null when absent. */
  public String oneOf(String name, List<String> allowed) {
    String text = text(name);
    if (text != null && !allowed.contains(text)) {
      reader.fail("query/" + name, "must be equal to one of the allowed values: " + String.join(", ", allowed));
    }
    return text;
  }

  public Integer integer(String name, Integer fallback, int min, int max) {
    String text = text(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min) {
        reader.fail("query/" + name, "must be >= " + min);
      } else if (value > max) {
        reader.fail("query/" + name, "must be <= " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      reader.fail("query/" + name, "must be integer");
      return fallback;
    }
  }

  /** Throws one 400 listing every problem found so far. */
  public void throwIfInvalid() {
    reader.throwIfInvalid();
  }
}
