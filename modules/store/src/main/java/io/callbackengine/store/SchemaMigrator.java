package io.callbackengine.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates the engine's schema and applies the ordered, forward-only migrations in {@code db/migration}. Flyway is
 * blocking JDBC, so it runs on a worker thread, once, before the engine takes traffic.
 */
public final class SchemaMigrator {

  private final DatabaseSettings settings;

  public SchemaMigrator(DatabaseSettings settings) {
    this.settings = settings;
  }

  /** Applies pending migrations; the future holds the schema version now in place. */
  public Future<String> migrate(Vertx vertx) {
    return vertx.executeBlocking(this::migrateNow, false);
  }

  private String migrateNow() {
    PgConnectOptions o = settings.connectOptions();
    MigrateResult result = Flyway.configure()
        .dataSource(settings.jdbcUrl(), o.getUser(), o.getPassword())
        .schemas(settings.schema())
        .defaultSchema(settings.schema())
        .createSchemas(true)
        .locations("classpath:db/migration")
        .connectRetries(0)
        .load()
        .migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
  }
}
