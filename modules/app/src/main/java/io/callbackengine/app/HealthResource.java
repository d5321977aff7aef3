package io.callbackengine.app;

import io.callbackengine.api.ApiResource;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: it can do its work: PostgreSQL answers within
 * a second, the migrations were applied at start-up, the dispatcher runs when this process has that role
 * ({@code OFF} when it does not), and it is a member of the cluster when the cluster is on ({@link ClusterCheck}).
 * The body says which check failed.
 */
final class HealthResource implements ApiResource {

  private static final long DATABASE_TIMEOUT_MS = 1000;

  private final Pool pool;
  private final String schemaVersion;
  private final Supplier<Optional<Boolean>> dispatcherRunning;
  private final ClusterCheck cluster;

  /**
   * @param dispatcherRunning empty when this process has no dispatcher role
   */
  HealthResource(Pool pool, String schemaVersion, Supplier<Optional<Boolean>> dispatcherRunning,
      ClusterCheck cluster) {
    this.pool = pool;
    this.schemaVersion = schemaVersion;
    this.dispatcherRunning = dispatcherRunning;
    this.cluster = cluster;
  }

  @Override
  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> write(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    pool.query("select 1").execute()
        .timeout(DATABASE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(rows -> "UP")
        .otherwise(error -> "DOWN")
        .onComplete(done -> {
          String database = done.result();
          String migrations = schemaVersion != null ? "UP" : "DOWN";
          String dispatcher = dispatcherRunning.get().map(running -> running ? "UP" : "DOWN").orElse("OFF");
          ClusterCheck.Reading membership = cluster.read();
          boolean up = database.equals("UP") && migrations.equals("UP") && !dispatcher.equals("DOWN")
              && !membership.down();
          write(ctx, up ? 200 : 503, new JsonObject()
              .put("status", up ? "UP" : "DOWN")
              .put("checks", new JsonObject()
                  .put("database", database)
                  .put("migrations", new JsonObject().put("status", migrations).put("version", schemaVersion))
                  .put("dispatcher", dispatcher)
                  .put("cluster", membership.json())));
        });
  }

  private static Future<Void> write(RoutingContext ctx, int status, JsonObject body) {
    return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.toBuffer());
  }
}
