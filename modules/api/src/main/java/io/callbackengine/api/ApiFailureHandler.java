package io.callbackengine.api;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.store.StoreUnavailableException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
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
  /** The envelope message of every 503: the database or the request's deadline failed, not the request. */
  public static final String UNAVAILABLE = "Service temporarily unavailable, try again shortly";

  private final long bodyLimit;

  public ApiFailureHandler(long bodyLimit) {
    this.bodyLimit = bodyLimit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      // Answered already (the request deadline's 503); work abandoned then failed later. Resetting here would drop
      // the keep-alive connection under the client's next request.
      LOG.debug("Failure after the answer to {} {}: {}", ctx.request().method(), pathOf(ctx),
          String.valueOf(ctx.failure()));
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ResponseCodes codes = ResponseCodes.forPath(pathOf(ctx));
    Throwable failure = ctx.failure();
    if (failure instanceof ClientProblem problem) {
      Envelope.failure(ctx, problem.httpStatus(), codes.clientError(), problem.summary(), problem.violations());
      return;
    }
    if (failure instanceof HttpException refused && refused.getStatusCode() >= 400 && refused.getStatusCode() < 500) {
      // Vert.x Web refusing what it could not read (a handler asked it to decode something malformed).
      LOG.debug("Request refused by Vert.x Web: {} {}: {}", ctx.request().method(), pathOf(ctx), failure.toString());
      routerFailure(ctx, refused.getStatusCode(), codes);
      return;
    }
    int status = ctx.statusCode();
    if (failure == null && status >= 400 && status < 500) {
      routerFailure(ctx, status, codes);
      return;
    }
    if (failure == null && status == 503) {
      // The request deadline ran out (TimeoutHandler): whatever it waited on, most likely the database, was too slow.
      LOG.warn("Request deadline passed while serving {} {}", ctx.request().method(), pathOf(ctx));
      unavailable(ctx, "the request could not be completed in time");
      return;
    }
    if (failure instanceof StoreUnavailableException) {
      LOG.warn("Database unavailable while serving {} {}: {}", ctx.request().method(), pathOf(ctx),
          failure.toString());
      unavailable(ctx, "the database is not reachable");
      return;
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("Unexpected failure {} serving {} {}", incident, ctx.request().method(), pathOf(ctx), failure);
    Envelope.failure(ctx, 500, ResponseCodes.SERVER_ERROR, internalError(incident), List.of());
  }

  /** The envelope message of a 500: the incident id names the log line with the cause. */
  public static String internalError(String incident) {
    return "Internal error (incident " + incident + ")";
  }

  private static void unavailable(RoutingContext ctx, String why) {
    Envelope.failure(ctx, 503, ResponseCodes.UNAVAILABLE, UNAVAILABLE, List.of(Violation.headers(why)));
  }

  /**
   * The request's path, normalized when it can be: normalizing decodes percent-escapes and throws on a malformed one
   * ({@code %zz}), which must still get its 400 in the envelope.
   */
  static String pathOf(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException e) {
      return ctx.request().path();
    }
  }

  /** Failures raised by Vert.x Web itself, before or instead of a handler. */
  public void routerFailure(RoutingContext ctx, int status) {
    routerFailure(ctx, status, ResponseCodes.forPath(pathOf(ctx)));
  }

  private void routerFailure(RoutingContext ctx, int status, ResponseCodes codes) {
    String path = RequestScreen.printable(pathOf(ctx));
    switch (status) {
      case 413 -> Envelope.failure(ctx, 413, codes.clientError(), "Request body too large",
          List.of(Violation.body("body must NOT be larger than " + bodyLimit + " bytes")));
      case 404 -> Envelope.failure(ctx, 404, codes.clientError(), "No such route",
          List.of(Violation.params("no route matches " + ctx.request().method() + " " + path)));
      case 405 -> Envelope.failure(ctx, 405, codes.clientError(), "Method not allowed",
          List.of(Violation.params("method " + ctx.request().method() + " is not allowed on " + path)));
      case 400 -> badRequest(ctx, codes);
      default -> Envelope.failure(ctx, status, codes.clientError(), "Request refused", List.of());
    }
  }

  /**
   * Vert.x Web's own 400s: the path does not decode (a malformed percent-escape in a segment matched against a
   * route's parameters), or a query or body it was asked to decode did not.
   */
  private static void badRequest(RoutingContext ctx, ResponseCodes codes) {
    String path = ctx.request().path();
    Violation violation;
    if (!decodes(path)) {
      violation = Violation.params("path must be valid percent-encoding (RFC 3986): every % is followed by two "
          + "hexadecimal digits");
    } else if (!decodes(ctx.request().query())) {
      violation = Violation.query("query must be valid percent-encoding (RFC 3986): every % is followed by two "
          + "hexadecimal digits");
    } else {
      violation = Violation.body("the request could not be read");
    }
    Envelope.failure(ctx, 400, codes.clientError(), violation.message(), List.of(violation));
  }

  /**
   * For {@code HttpServer.invalidRequestHandler}: a request Vert.x could not parse gets the status Vert.x would
   * give it (414 request line too long, 431 headers too large, else 400), in the envelope, and its connection is
   * closed, since what follows on it cannot be trusted. What is malformed below HTTP parsing (a broken TLS or HTTP/2
   * frame) closes the connection without an answer.
   */
  public static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    Violation violation;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      violation = Violation.params("the request line must NOT be longer than the server's limit");
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      violation = Violation.headers("the request headers must NOT be larger than the server's limit");
    } else {
      status = 400;
      violation = Violation.headers("the request is not valid HTTP/1.1");
    }
    String path;
    try {
      path = request.path();
    } catch (RuntimeException e) {
      path = null;
    }
    Envelope.failure(request.response().putHeader("connection", "close"), status,
            (status == 400 ? ResponseCodes.forPath(path) : ResponseCodes.GENERAL).clientError(), violation.message(),
            List.of(violation))
        .onComplete(written -> request.connection().close());
  }

  private static boolean decodes(String text) {
    return text == null || text.matches("([^%]|%[0-9A-Fa-f]{2})*");
  }
}
