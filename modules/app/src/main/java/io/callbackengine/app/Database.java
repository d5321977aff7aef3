package io.callbackengine.app;

import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.SchemaMigrator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * The one place that opens the engine's database, for the engine and the operator commands alike: pools with the
 * configured deadlines (connect, pool wait, socket) and the schema's migrations.
 */
public final class Database {

  private final Vertx vertx;
  private final DatabaseSettings settings;
  private final SchemaMigrator migrator;

  /** Built where blocking is allowed (start-up, a command's thread): it reads the bundled migrations. */
  public Database(Vertx vertx, DatabaseSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.migrator = new SchemaMigrator(settings);
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

  /** Applies the pending migrations with Flyway, validating those applied; the future holds the schema version. */
  public Future<String> migrate() {
    return migrator.migrate(vertx);
  }

  /**
   * As {@link #migrate()}, but one query instead of Flyway when the schema already holds every bundled migration
   * (see {@link SchemaMigrator#migrateIfBehind}): what almost every start finds. The query runs on a connection of
   * its own, which may take as long as the connect and socket timeouts allow, as Flyway's did: it is the start's
   * first connection, made by a cold JVM that on a busy machine can spend seconds loading the driver, longer than
   * the pool wait meant for requests.
   */
  public Future<String> migrateIfBehind() {
    long patience = settings.connectTimeout().plus(settings.socketTimeout()).toMillis();
    Pool first = pool(settings.poolOptions("callback-engine-start", 1).setConnectionTimeout((int) patience)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
    return migrator.migrateIfBehind(vertx, first).eventually(first::close);
  }

  public DatabaseSettings settings() {
    return settings;
  }
}
