package io.callbackengine.api;

import io.vertx.ext.web.Router;

/** A group of routes about one resource; it mounts its handlers and nothing else. */
public interface ApiResource {

  void mount(Router router);
}
