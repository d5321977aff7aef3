package io.callbackengine.api;

import io.callbackengine.api.auth.AdminAuthenticator;
import io.callbackengine.api.auth.TenantAuthenticator;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import java.time.Duration;
import java.util.List;

/**
 * Assembles the API router: a deadline on every API request (past it the answer is a 503, so a client never waits
 * on a database that went silent), body limits, authentication per route family, the resources, and the one failure
 * handler. Management routes (health, metrics, the OpenAPI document) are mounted by whoever owns them, unguarded.
 */
public final class HttpApi {

  /** Request bodies above this get 413 before any handler runs. With no resources (a dispatcher-only process)
   * only the management routes are served. */
  public static final long BODY_LIMIT = 256 * 1024;

  private final TenantAuthenticator tenantAuth;
  private final AdminAuthenticator adminAuth;
  private final List<ApiResource> resources;
  private final Duration requestTimeout;

  public HttpApi(TenantAuthenticator tenantAuth, AdminAuthenticator adminAuth, List<ApiResource> resources,
      Duration requestTimeout) {
    this.tenantAuth = tenantAuth;
    this.adminAuth = adminAuth;
    this.resources = List.copyOf(resources);
    this.requestTimeout = requestTimeout;
  }

  public Router router(Vertx vertx, List<ApiResource> management) {
    Router router = Router.router(vertx);
    ApiFailureHandler failures = new ApiFailureHandler(BODY_LIMIT);
    // Management routes bound their own waits (readiness gives the database a second and answers its own 503).
    router.route("/v1/*").handler(TimeoutHandler.create(requestTimeout.toMillis(), 503));
    router.route("/admin/*").handler(TimeoutHandler.create(requestTimeout.toMillis(), 503));
    management.forEach(m -> m.mount(router));
    if (!resources.isEmpty()) {
      RequestScreen screen = new RequestScreen(router);
      router.route("/admin/*").handler(screen);
      router.route("/v1/*").handler(screen);
      // Bodies are read before any asynchronous handler runs, as Vert.x Web requires.
      router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
      router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
      router.route("/admin/*").handler(adminAuth);
      router.route("/v1/:sid/*").handler(tenantAuth);
      resources.forEach(r -> r.mount(router));
    }
    router.route().failureHandler(failures);
    for (int status : new int[] {400, 404, 405, 413}) {
      router.errorHandler(status, ctx -> failures.routerFailure(ctx, status));
    }
    return router;
  }
}
