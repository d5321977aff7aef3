package io.callbackengine.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.StorableText;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;

/**
 * Reads a request's JSON body, refusing what is not JSON with a clear 4xx: 415 for another content type, 400
 * naming where the JSON breaks, 400 when the JSON is not of the expected shape.
 *
 * <p>The parser is strict where Vert.x's default is lenient: comments are refused (RFC 8259 has none, and Vert.x
 * allows them), a property given twice in one object is refused rather than the last one silently winning, and a
 * string PostgreSQL cannot store as it came ({@link StorableText}: a NUL, an unpaired surrogate) is refused naming
 * its field.
 */
public final class JsonRequest {

  private static final JsonFactory STRICT = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

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
    RequestScreen.requireJson(ctx.request().getHeader("content-type"));
    Object value;
    try {
      // Objects and arrays arrive as JsonObject and JsonArray, as from Json.decodeValue.
      value = JacksonCodec.fromParser(STRICT.createParser(body.getBytes()), Object.class);
    } catch (DecodeException | IOException e) {
      throw ClientProblem.invalid(Violation.body("body must be valid JSON: " + describe(e)));
    }
    StorableText.inJson(value, Violation.Location.BODY).ifPresent(nul -> {
      throw ClientProblem.invalid(nul);
    });
    return value;
  }

  /** Jackson's first line and position, without the source excerpt. */
  private static String describe(Exception e) {
    String message = String.valueOf(e.getMessage()).replaceFirst("^Failed to decode:\\s*", "");
    String firstLine = message.lines().findFirst().orElse("malformed JSON");
    java.util.regex.Matcher position = java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)").matcher(message);
    String where = position.find() ? " at line " + position.group(1) + ", column " + position.group(2) : "";
    String text = firstLine + where;
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}
