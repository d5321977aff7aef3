package io.callbackengine.api;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.store.StoreUnavailableException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a failed request becomes a response. Handlers only {@code fail(exception)}; this maps a
 * {@link ClientProblem} to its 4xx, the router's own failures (413, 404, 405) to theirs, an unreachable database and
 * a request past its deadline to 503, and anything else to a 500 that shows an incident id and never a stack trace,
 * SQL or a secret.
 */
public final class ApiFailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiFailureHandler.class);

  private final long bodyLimit;

  public ApiFailureHandler(long bodyLimit) {
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      // Answered already (the request deadline's 503); work abandoned then failed later. Resetting here would drop
      // the keep-alive connection under the client's next request.
      LOG.debug("Failure after the answer to {} {}: {}", ctx.request().method(), ctx.normalizedPath(),
          String.valueOf(ctx.failure()));
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ResponseCodes codes = ResponseCodes.forPath(ctx.normalizedPath());
    Throwable failure = ctx.failure();
    if (failure instanceof ClientProblem problem) {
      Envelope.failure(ctx, problem.httpStatus(), codes.clientError(), problem.summary(), problem.violations());
      return;
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400 && status < 500) {
      routerFailure(ctx, status, codes);
      return;
    }
    if (failure == null && status == 503) {
      // The request deadline ran out (TimeoutHandler): whatever it waited on, most likely the database, was too slow.
      LOG.warn("Request deadline passed while serving {} {}", ctx.request().method(), ctx.normalizedPath());
      unavailable(ctx, "the request could not be completed in time");
      return;
    }
    if (failure instanceof StoreUnavailableException) {
      LOG.warn("Database unavailable while serving {} {}: {}", ctx.request().method(), ctx.normalizedPath(),
          failure.toString());
      unavailable(ctx, "the database is not reachable");
      return;
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("Unexpected failure {} serving {} {}", incident, ctx.request().method(), ctx.normalizedPath(), failure);
    Envelope.failure(ctx, 500, ResponseCodes.SERVER_ERROR, "Internal error (incident " + incident + ")", List.of());
  }

  private static void unavailable(RoutingContext ctx, String why) {
    Envelope.failure(ctx, 503, ResponseCodes.UNAVAILABLE, "Service temporarily unavailable, try again shortly",
        List.of(Violation.headers(why)));
  }

  /** Failures raised by Vert.x Web itself, before or instead of a handler. */
  public void routerFailure(RoutingContext ctx, int status, ResponseCodes codes) {
    switch (status) {
      case 413 -> Envelope.failure(ctx, 413, codes.clientError(), "Request body too large",
          List.of(Violation.body("body must NOT be larger than " + bodyLimit + " bytes")));
      case 404 -> Envelope.failure(ctx, 404, codes.clientError(), "No such route",
          List.of(Violation.params("no route matches " + ctx.request().method() + " " + ctx.normalizedPath())));
      case 405 -> Envelope.failure(ctx, 405, codes.clientError(), "Method not allowed",
          List.of(Violation.params("method " + ctx.request().method() + " is not allowed on " + ctx.normalizedPath())));
      case 400 -> Envelope.failure(ctx, 400, codes.clientError(), "Bad request",
          List.of(Violation.body("the request could not be read")));
      default -> Envelope.failure(ctx, status, codes.clientError(), "Request refused", List.of());
    }
  }
}
