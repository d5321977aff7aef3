package io.callbackengine.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.function.Consumer;

/** A router on a real HTTP server on a free loopback port, and a client for it: handlers see real requests. */
record RouterServer(HttpServer server, WebClient client) {

  static Future<RouterServer> start(Vertx vertx, Consumer<Router> routes) {
    Router router = Router.router(vertx);
    routes.accept(router);
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .map(server -> new RouterServer(server, WebClient.create(vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()))));
  }
}
