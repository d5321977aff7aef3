package io.callbackengine.api;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * Reads a request's JSON body, refusing what is not JSON with a clear 4xx: 415 for another content type, 400
 * naming where the JSON breaks, 400 when the JSON is not of the expected shape.
 */
public final class JsonRequest {

  private JsonRequest() {
  }

  /** The body as an object; a missing body reads as {@code {}} when {@code emptyAllowed}. */
  public static JsonObject object(RoutingContext ctx, boolean emptyAllowed) {
    Object value = value(ctx);
    if (value == null && emptyAllowed) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw ClientProblem.invalid(Violation.body("body must be object"));
  }

  /** For action routes that take no input: no body, or an empty object. */
  public static void nothing(RoutingContext ctx) {
    JsonObject body = object(ctx, true);
    for (String field : body.fieldNames()) {
      throw ClientProblem.invalid(Violation.body("body must NOT have additional property '" + field + "'"));
    }
  }

  /** The parsed body: a JsonObject, JsonArray, scalar, or null when the request has no body. */
  public static Object value(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      return null;
    }
    requireJsonContentType(ctx);
    try {
      return Json.decodeValue(body); // objects and arrays arrive as JsonObject and JsonArray
    } catch (DecodeException e) {
      throw ClientProblem.invalid(Violation.body("body must be valid JSON: " + describe(e)));
    }
  }

  private static void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
      throw new ClientProblem(415, "Content-Type must be application/json",
          List.of(Violation.headers("headers/content-type must be application/json, not '"
              + (type == null ? "" : type.replaceAll("\\p{Cntrl}", "?")) + "'")));
    }
  }

  /** Jackson's first line and position, without the source excerpt. */
  private static String describe(DecodeException e) {
    String message = String.valueOf(e.getMessage()).replaceFirst("^Failed to decode:\\s*", "");
    String firstLine = message.lines().findFirst().orElse("malformed JSON");
    java.util.regex.Matcher position = java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)").matcher(message);
    String where = position.find() ? " at line " + position.group(1) + ", column " + position.group(2) : "";
    String text = firstLine + where;
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
