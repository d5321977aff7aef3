package io.callbackengine.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;

/** One HTTP server instance on its own event loop; several instances share the port. Wiring only. */
final class HttpServerVerticle extends VerticleBase {

  private final HttpServerOptions options;
  private final Function<io.vertx.core.Vertx, Router> routerFactory;
  private HttpServer server;

  HttpServerVerticle(HttpServerOptions options, Function<io.vertx.core.Vertx, Router> routerFactory) {
    this.options = options;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(options)
        .requestHandler(routerFactory.apply(vertx))
        .listen()
        .onSuccess(listening -> server = listening);
  }

  int actualPort() {
    return server.actualPort();
  }
}
