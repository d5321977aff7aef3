package io.callbackengine.api;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.StorableText;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What every API request must be before anything reads it, refused with a clear 4xx instead of failing deeper down:
 * <ul>
 *   <li>a body is JSON in UTF-8 (API.md: 415 for a request with a body whose {@code Content-Type} is not
 *       {@code application/json} or {@code +json}). Checked before the body is read, so a form or multipart body
 *       is never decoded, whatever the method;
 *   <li>the query string is valid percent-encoding (400 {@code query});
 *   <li>no path segment or query parameter holds text PostgreSQL cannot store as it came ({@link StorableText}: 400
 *       naming the parameter; JSON bodies are screened when they are parsed, by {@link JsonRequest}). A path
 *       segment is checked for {@code %00}: Vert.x decodes path segments malformed UTF-8 and all into valid text.
 * </ul>
 */
final class RequestScreen implements Handler<RoutingContext> {

  private final Router router;

  /** {@code router}: whose route templates name a path parameter in a refusal. */
  RequestScreen(Router router) {
    this.router = router;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (hasBody(request)) {
      requireJson(request.getHeader("content-type"));
    }
    MultiMap query;
    try {
      query = ctx.queryParams();
    } catch (RuntimeException e) {
      // Netty's message quotes the whole URI; the client has it already.
      throw ClientProblem.invalid(Violation.query("query must be valid percent-encoding (RFC 3986): every % is "
          + "followed by two hexadecimal digits"));
    }
    List<Violation> violations = new ArrayList<>();
    for (String name : query.names()) {
      String defect = StorableText.defect(name);
      if (defect != null) {
        violations.add(Violation.query("query must NOT have a parameter name containing " + defect));
        continue;
      }
      query.getAll(name).stream().map(value -> StorableText.check(Violation.Location.QUERY, "query/" + name, value))
          .flatMap(Optional::stream).findFirst().ifPresent(violations::add);
    }
    String path = request.path();
    if (path != null && path.contains("%00")) {
      StorableText.check(Violation.Location.PARAMS, "params/" + parameterWithNul(path), "\u0000")
          .ifPresent(violations::add);
    }
    if (!violations.isEmpty()) {
      throw ClientProblem.invalid(violations);
    }
    ctx.next();
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    return request.getHeader("transfer-encoding") != null || length != null && !length.trim().equals("0");
  }

  /** JSON, and UTF-8 when a charset is named (RFC 8259 §8.1: JSON exchanged between systems is UTF-8). */
  static void requireJson(String contentType) {
    String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
    String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
      throw new ClientProblem(415, "Content-Type must be application/json",
          List.of(Violation.headers("headers/content-type must be application/json, not '"
              + printable(contentType == null ? "" : contentType) + "'")));
    }
    for (int i = 1; i < parts.length; i++) {
      String[] parameter = parts[i].split("=", 2);
      if (parameter[0].trim().equalsIgnoreCase("charset") && parameter.length == 2
          && !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
        throw new ClientProblem(415, "Content-Type must be application/json in UTF-8",
            List.of(Violation.headers("headers/content-type charset must be utf-8, not '"
                + printable(parameter[1].trim()) + "'")));
      }
    }
  }

  /** The name of the first path parameter holding {@code %00}, from the route template the path fits. */
  private String parameterWithNul(String path) {
    String[] segments = path.split("/", -1);
    for (Route route : router.getRoutes()) {
      String template = route.getPath();
      if (template == null || !template.contains(":")) {
        continue;
      }
      String[] names = template.split("/", -1);
      if (names.length != segments.length) {
        continue;
      }
      String found = null;
      boolean fits = true;
      for (int i = 0; i < names.length && fits; i++) {
        if (names[i].startsWith(":")) {
          if (found == null && segments[i].contains("%00")) {
            found = names[i].substring(1);
          }
        } else {
          fits = names[i].equals(segments[i]);
        }
      }
      if (fits && found != null) {
        return found;
      }
    }
    return "path";
  }

  /** Client text echoed in a message: control characters shown as {@code ?}, at most 200 characters. */
  static String printable(String text) {
    String shown = text.replaceAll("\\p{Cntrl}", "?");
    return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
  }
}
