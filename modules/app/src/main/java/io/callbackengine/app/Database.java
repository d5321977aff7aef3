package io.callbackengine.app;

import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.PoolHeartbeat;
import io.callbackengine.store.SchemaMigrator;
import io.callbackengine.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that opens the engine's database, for the engine and the operator commands alike: pools with the
 * configured deadlines (connect, pool wait, socket) and the schema's migrations.
 */
public final class Database {

  /** Times the start-up schema check is tried while the database is unavailable. */
  static final int START_ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

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

  /**
   * A pool of its own (see {@link DatabaseSettings#poolOptions(String, int)}). Connects on first use; each connection
   * listens for the process's {@link PoolHeartbeat}, which keeps it open while idle.
   */
  public Pool pool(PoolOptions options) {
    return pool(options, settings.connectOptions());
  }

  /** The dispatcher's pool: connections that plan the queue's statements by its indexes. */
  public Pool queuePool(PoolOptions options) {
    return pool(options, settings.queueConnectOptions());
  }

  private Pool pool(PoolOptions options, PgConnectOptions connectOptions) {
    return PgBuilder.pool()
        .with(options)
        .with(settings.netClientOptions())
        .withConnectHandler(PoolHeartbeat.onConnect(settings.schema()))
        .connectingTo(connectOptions)
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
   * the pool wait meant for requests. A database that is unavailable then (the socket timeout passed on a starved
   * machine, PostgreSQL still starting) is asked again, {@link #START_ATTEMPTS} times in all, a second apart, before
   * the start gives up.
   */
  public Future<String> migrateIfBehind() {
    return migrateIfBehind(1);
  }

  private Future<String> migrateIfBehind(int attempt) {
    long patience = settings.connectTimeout().plus(settings.socketTimeout()).toMillis();
    Pool first = pool(settings.poolOptions("callback-engine-start", 1).setConnectionTimeout((int) patience)
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
    return migrator.migrateIfBehind(vertx, first).eventually(first::close)
        .recover(error -> {
          if (attempt >= START_ATTEMPTS || !SqlErrors.isUnavailable(error)) {
            return Future.failedFuture(error);
          }
          LOG.warn("Database unavailable at start-up ({}); asking again in 1 s (attempt {} of {})", error.getMessage(),
              attempt + 1, START_ATTEMPTS);
          return vertx.timer(1_000).compose(waited -> migrateIfBehind(attempt + 1));
        });
  }

  public DatabaseSettings settings() {
    return settings;
  }
}
