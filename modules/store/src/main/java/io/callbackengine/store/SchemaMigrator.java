package io.callbackengine.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates the engine's schema and applies the ordered, forward-only migrations in {@code db/migration}. Flyway is
 * blocking JDBC, so it runs on a worker thread, once, before the engine takes traffic.
 *
 * <p>Most starts find nothing to migrate, and Flyway costs them much of their time: about 1,500 classes, a JDBC
 * connection and a scan of the class path. {@link #migrateIfBehind} asks the schema history first, in one query on
 * the engine's own pool, and leaves Flyway unloaded when the history already holds every bundled migration as Flyway
 * would have recorded it (same version, description and checksum, applied successfully). Anything else (a new
 * schema, a migration missing or failed, a script changed since it was applied) goes to Flyway, which migrates, or
 * fails with its own explanation.
 */
public final class SchemaMigrator {

  private static final String LOCATION = "db/migration";
  /** The bundled migrations, oldest first; SchemaMigratorTest checks this list against {@value #LOCATION}. */
  static final List<String> MIGRATIONS = List.of(
      "V1__accounts_and_profiles.sql",
      "V2__events_and_deliveries.sql",
      "V3__profile_change_notifications.sql",
      "V4__partitioned_log_and_hot_queue.sql",
      "V5__callback_auth_and_body_types.sql",
      "V6__profile_policy.sql",
      "V7__replay_restarts_the_retry_schedule.sql",
      "V8__ordering_keys.sql",
      "V9__queue_scans_without_parallel_workers.sql",
      "V10__queue_index_by_profile_for_waiting_deliveries.sql",
      "V11__handed_over_deliveries_leave_no_queue_row.sql");
  private static final String HISTORY = """
      select version, description, checksum, success from %s.flyway_schema_history where version is not null
      """;
  /** undefined_table, invalid_schema_name: no history yet, so Flyway has everything to do. */
  private static final List<String> NO_HISTORY = List.of("42P01", "3F000");

  private final DatabaseSettings settings;
  private final List<Bundled> bundled;

  /** Reads the bundled migrations' checksums: a blocking class-path read, for start-up, never an event loop. */
  public SchemaMigrator(DatabaseSettings settings) {
    this.settings = settings;
    this.bundled = Bundled.ALL;
  }

  /** Applies pending migrations with Flyway, validating those applied; the future holds the schema version now. */
  public Future<String> migrate(Vertx vertx) {
    return vertx.executeBlocking(this::migrateNow, false);
  }

  /**
   * As {@link #migrate}, but without Flyway when {@code client}'s database already holds every bundled migration:
   * the future then holds the newest version applied (which a newer engine may have put there).
   */
  public Future<String> migrateIfBehind(Vertx vertx, SqlClient client) {
    return appliedVersion(client).compose(current -> current.map(Future::succeededFuture).orElseGet(() -> migrate(vertx)));
  }

  /**
   * The newest version in the schema history when it holds every bundled migration as Flyway records it, applied
   * successfully, and no failed one; empty when Flyway has something to do or to say.
   */
  Future<Optional<String>> appliedVersion(SqlClient client) {
    return client.query(HISTORY.formatted(settings.schema())).execute()
        .map(rows -> {
          Map<String, Row> applied = new HashMap<>();
          rows.forEach(row -> applied.put(row.getString("version"), row));
          boolean complete = applied.values().stream().allMatch(row -> row.getBoolean("success"))
              && bundled.stream().allMatch(migration -> migration.matches(applied.get(migration.version())));
          return complete ? applied.keySet().stream().max(Comparator.comparing(SchemaMigrator::versionParts,
              SchemaMigrator::compareVersions)) : Optional.<String>empty();
        })
        .recover(error -> error instanceof PgException pg && NO_HISTORY.contains(pg.getSqlState())
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(error));
  }

  private String migrateNow() {
    PgConnectOptions o = settings.connectOptions();
    MigrateResult result = Flyway.configure()
        .dataSource(settings.jdbcUrl(), o.getUser(), o.getPassword())
        .schemas(settings.schema())
        .defaultSchema(settings.schema())
        .createSchemas(true)
        .locations("classpath:" + LOCATION)
        .connectRetries(0)
        .load()
        .migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
  }

  private static BigInteger[] versionParts(String version) {
    return Arrays.stream(version.split("\\.")).map(BigInteger::new).toArray(BigInteger[]::new);
  }

  private static int compareVersions(BigInteger[] a, BigInteger[] b) {
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      int order = (i < a.length ? a[i] : BigInteger.ZERO).compareTo(i < b.length ? b[i] : BigInteger.ZERO);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  /**
   * A bundled migration as Flyway records it once applied: the version and description from the file name
   * ({@code V<version>__<description>.sql}, underscores read as spaces), and the checksum, a CRC-32 of the script's
   * lines without their line breaks (and without a byte-order mark), in UTF-8.
   */
  record Bundled(String version, String description, int checksum) {

    static final List<Bundled> ALL = MIGRATIONS.stream().map(Bundled::read).toList();

    static Bundled read(String fileName) {
      String name = fileName.substring(1, fileName.length() - ".sql".length());
      int separator = name.indexOf("__");
      return new Bundled(name.substring(0, separator).replace('_', '.'),
          name.substring(separator + 2).replace('_', ' '), checksum(LOCATION + "/" + fileName));
    }

    boolean matches(Row applied) {
      return applied != null && applied.getBoolean("success") && description.equals(applied.getString("description"))
          && Objects.equals(checksum, applied.getInteger("checksum"));
    }

    static int checksum(String resource) {
      CRC32 crc = new CRC32();
      try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the class path");
        }
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean first = true;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          crc.update((first && line.startsWith("\uFEFF") ? line.substring(1) : line).getBytes(StandardCharsets.UTF_8));
          first = false;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return (int) crc.getValue();
    }
  }
}
