package io.callbackengine.api;

import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Writes the response envelope every /v1 and /admin route answers with (API.md §2):
 * {@code {"code", "message", "data", "error", "status"}}, {@code error} being {@code {}} on success and a list of
 * single-key objects on failure.
 */
public final class Envelope {

  private Envelope() {
  }

  public static Future<Void> success(RoutingContext ctx, int status, String code, String message, JsonObject data) {
    JsonObject body = new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("data", data)
        .put("error", new JsonObject())
        .put("status", status);
    return write(ctx, status, body);
  }

  public static Future<Void> failure(RoutingContext ctx, int status, String code, String message,
      List<Violation> violations) {
    return write(ctx, status, failureBody(status, code, message, violations));
  }

  /** A failure answered below the router (a request Vert.x could not parse), on the bare response. */
  public static Future<Void> failure(HttpServerResponse response, int status, String code, String message,
      List<Violation> violations) {
    return response.setStatusCode(status).putHeader("content-type", "application/json")
        .end(failureBody(status, code, message, violations).toBuffer());
  }

  private static JsonObject failureBody(int status, String code, String message, List<Violation> violations) {
    JsonArray errors = new JsonArray();
    violations.forEach(v -> errors.add(new JsonObject().put(v.location().jsonName(), v.message())));
    JsonObject body = new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("data", new JsonObject())
        .put("error", errors)
        .put("status", status);
    return body;
  }

  private static Future<Void> write(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      // Already answered: the request deadline passed (503) before this work finished.
      return Future.succeededFuture();
    }
    return ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.toBuffer());
  }
}
