package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history check that lets a start skip Flyway agrees with what Flyway itself recorded, and defers to it otherwise. */
class SchemaMigratorIT {

  private static final String URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");

  private final String schema = "it_schemamigrator_" + UUID.randomUUID().toString().substring(0, 8);
  private final DatabaseSettings settings = new DatabaseSettings(URL, schema, 2, Duration.ofSeconds(3),
      Duration.ofSeconds(5), Duration.ofSeconds(10));
  private final SchemaMigrator migrator = new SchemaMigrator(settings);
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(settings.connectOptions()).using(vertx).build();
  }

  @AfterEach
  void close() throws Exception {
    join(pool.query("drop schema if exists " + schema + " cascade").execute());
    join(vertx.close());
  }

  @Test
  void aSchemaFlywayMigratedIsRecognisedAsCurrent() throws Exception {
    assertThat(join(migrator.appliedVersion(pool))).isEmpty();

    String migrated = join(migrator.migrate(vertx));

    assertThat(join(migrator.appliedVersion(pool))).contains(migrated);
    assertThat(join(migrator.migrateIfBehind(vertx, pool))).isEqualTo(migrated);
  }

  @Test
  void aNewerEnginesMigrationCountsAsTheVersion() throws Exception {
    join(migrator.migrate(vertx));
    join(pool.query("insert into flyway_schema_history (installed_rank, version, description, type, script, checksum,"
        + " installed_by, execution_time, success) values (999, '999', 'from a newer engine', 'SQL', 'V999__x.sql', 1,"
        + " 'postgres', 1, true)").execute());

    assertThat(join(migrator.appliedVersion(pool))).contains("999");
  }

  @Test
  void aChangedScriptOrAFailedMigrationIsLeftToFlyway() throws Exception {
    join(migrator.migrate(vertx));
    join(pool.query("update flyway_schema_history set checksum = checksum + 1 where version = '2'").execute());

    assertThat(join(migrator.appliedVersion(pool))).isEmpty();
    assertThat(catchThrowable(() -> join(migrator.migrateIfBehind(vertx, pool))))
        .hasStackTraceContaining("checksum mismatch");

    join(pool.query("update flyway_schema_history set checksum = checksum - 1, success = false where version = '4'")
        .execute());
    assertThat(join(migrator.appliedVersion(pool))).isEmpty();
  }

  @Test
  void aSchemaMissingAMigrationIsLeftToFlyway() throws Exception {
    join(migrator.migrate(vertx));
    join(pool.query("delete from flyway_schema_history where version = '4'").execute());

    assertThat(join(migrator.appliedVersion(pool))).isEqualTo(Optional.empty());
  }

  private static <T> T join(Future<T> future) throws ExecutionException, InterruptedException,
      java.util.concurrent.TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
