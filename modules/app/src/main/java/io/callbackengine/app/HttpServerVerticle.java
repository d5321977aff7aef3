package io.callbackengine.app;

import io.callbackengine.api.ApiFailureHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One HTTP server instance on its own event loop; several instances share the port. Wiring only. Stopping it shuts
 * the server down gracefully: no new connections, and requests in flight get up to the request timeout to finish.
 */
final class HttpServerVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private final Duration grace;
  private HttpServer server;

  HttpServerVerticle(HttpServerOptions options, Function<io.vertx.core.Vertx, Router> routerFactory, Duration grace) {
    this.options = options;
    this.routerFactory = routerFactory;
    this.grace = grace;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(options)
        .requestHandler(routerFactory.apply(vertx))
        .invalidRequestHandler(ApiFailureHandler::invalidRequest)
        .listen()
        .onSuccess(listening -> server = listening);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }
}
