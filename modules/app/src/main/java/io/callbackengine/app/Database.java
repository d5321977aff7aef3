package io.callbackengine.app;

import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.SchemaMigrator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The one place that opens the engine's database, for the engine and the operator commands alike: pools with the
 * configured deadlines (connect, pool wait, socket) and the schema's migrations.
 */
public final class Database {

  private final Vertx vertx;
  private final DatabaseSettings settings;

  public Database(Vertx vertx, DatabaseSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** The engine's main pool: {@link DatabaseSettings#poolOptions()}. */
  public Pool pool() {
    return pool(settings.poolOptions());
  }

  /** A pool of its own (see {@link DatabaseSettings#poolOptions(String, int)}). Connects on first use. */
  public Pool pool(PoolOptions options) {
    return PgBuilder.pool()
        .with(options)
        .with(settings.netClientOptions())
        .connectingTo(settings.connectOptions())
        .using(vertx)
        .build();
  }

  /** Applies the pending migrations; the future holds the schema version now in place. */
  public Future<String> migrate() {
    return new SchemaMigrator(settings).migrate(vertx);
  }

  public DatabaseSettings settings() {
    return settings;
  }
}
