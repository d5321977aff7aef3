package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's connections run a statement's generic plan from its first run, never a plan made for one run's
 * parameters, and never compile one (see {@link DatabaseSettings}): what the server itself counts for the statements
 * a connection keeps prepared, and what it says it would do with a costly one. Without these settings PostgreSQL
 * plans the first five runs for their parameters, and compiles a statement costed over 100,000.
 */
class GenericPlanConnectionsIT {

  private static final String URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");
  /** A statement with an array parameter unnested, as the publish and finish statements have. */
  private static final String STATEMENT = "select count(*) from unnest($1::int[]) as n where n > 0";
  private static final int RUNS = 6;

  private final DatabaseSettings settings = new DatabaseSettings(URL, "public", 1, Duration.ofSeconds(3),
      Duration.ofSeconds(5), Duration.ofSeconds(10));
  private Vertx vertx;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    join(vertx.close());
  }

  @Test
  void theEnginesConnectionsNeverPlanAStatementForItsParameters() throws Exception {
    Row plans = plansAfterRuns(settings.connectOptions());

    assertThat(plans.getLong("custom_plans")).isZero();
    assertThat(plans.getLong("generic_plans")).isEqualTo(RUNS);
  }

  @Test
  void soDoTheConnectionsNamedForARole() throws Exception {
    Row plans = plansAfterRuns(settings.connectOptions("dispatcher"));

    assertThat(plans.getLong("custom_plans")).isZero();
    assertThat(plans.getLong("generic_plans")).isEqualTo(RUNS);
  }

  @Test
  void theEnginesConnectionsNeverCompileAStatement() throws Exception {
    // Costed far above PostgreSQL's JIT threshold (100,000), as a generic claim over a long queue is.
    List<String> plan = onOneConnection(settings.connectOptions(), connection -> connection
        .query("explain select sum(x) from generate_series(1, 100000000) as x").execute().map(rows -> {
          List<String> lines = new ArrayList<>();
          rows.forEach(row -> lines.add(row.getString(0)));
          return lines;
        }));
    // And off by setting: the plan alone would also show no JIT on a server built without it.
    String jit = onOneConnection(settings.connectOptions(), connection -> connection.query("show jit").execute()
        .map(rows -> rows.iterator().next().getString(0)));

    assertThat(plan).isNotEmpty().noneMatch(line -> line.contains("JIT"));
    assertThat(jit).isEqualTo("off");
  }

  /** Runs {@link #STATEMENT} {@link #RUNS} times on one connection, then reads that connection's plan counts for it. */
  private Row plansAfterRuns(PgConnectOptions options) throws Exception {
    return onOneConnection(options, connection -> runs(connection, RUNS).compose(done -> connection.preparedQuery(
            "select generic_plans, custom_plans from pg_prepared_statements where statement = $1")
        .execute(Tuple.of(STATEMENT)).map(rows -> rows.iterator().next())));
  }

  /** {@code work} on one connection opened with {@code options}, in a pool of its own closed afterwards. */
  private <T> T onOneConnection(PgConnectOptions options, Function<SqlConnection, Future<T>> work) throws Exception {
    Pool pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
    try {
      return join(pool.withConnection(work));
    } finally {
      join(pool.close());
    }
  }

  private static Future<Void> runs(SqlConnection connection, int left) {
    if (left == 0) {
      return Future.succeededFuture();
    }
    return connection.preparedQuery(STATEMENT).execute(Tuple.of(new Integer[] {left, -left, 3}))
        .compose(rows -> runs(connection, left - 1));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
