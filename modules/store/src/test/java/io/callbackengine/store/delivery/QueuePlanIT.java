package io.callbackengine.store.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.PlanWork;
import io.callbackengine.store.SchemaMigrator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The claim and the finish on the dispatcher's connections ({@link DatabaseSettings#queueConnectOptions()}) go to
 * the deliveries they are about by the queue's indexes, however the queue looked when their connection planned them:
 * a connection plans a statement once, for the tables' sizes at that moment, and until 2026-12-04 a claim planned on
 * an empty queue read and sorted the whole queue on every run after. Here 20,000 retries wait an hour, none due: a
 * claim must not read them, nor a finish of 64 deliveries, whether the tables had statistics when planned or not.
 *
 * <p>The work is what the server counts ({@link PlanWork}).
 */
class QueuePlanIT {

  private static final String URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");
  private static final int WAITING = 20_000;
  private static final int OUTCOMES = 64;

  private final String schema = "it_queue_plan_" + UUID.randomUUID().toString().substring(0, 8);
  private final DatabaseSettings settings = new DatabaseSettings(URL, schema, 1, Duration.ofSeconds(3),
      Duration.ofSeconds(5), Duration.ofSeconds(30));
  private Vertx vertx;
  private Pool admin;
  private Pool queue;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    admin = PgBuilder.pool().connectingTo(settings.connectOptions()).using(vertx).build();
    queue = PgBuilder.pool().connectingTo(settings.queueConnectOptions()).using(vertx).build();
    join(new SchemaMigrator(settings).migrate(vertx));
    sql("insert into accounts (sid, name, created_at) values ('HXqueue', 'Queue', now())");
    sql("""
        insert into profiles (profile_id, sid, title, http_method, url, headers, channel, replacers, signing_secret,
                              created_at)
        values ('SG_queue', 'HXqueue', 'Queue', 'POST', 'http://127.0.0.1:9/x', '{}', 'sms', '{}', '\\x00', now())
        """);
  }

  @AfterEach
  void close() throws Exception {
    join(admin.query("drop schema if exists " + schema + " cascade").execute());
    join(vertx.close());
  }

  @ParameterizedTest(name = "statistics when planned: {0}")
  @ValueSource(booleans = {false, true})
  void aClaimAndAFinishPlannedOnAnEmptyQueueDoNotReadTheDeliveriesThatWait(boolean analyzed) throws Exception {
    // Empty, as the benchmark leaves it before each phase; with statistics of every table, or of the queue alone.
    for (String table : analyzed ? new String[] {"delivery_queue", "profiles", "accounts", "event_log",
        "delivery_log", "delivery_handoff"} : new String[] {"delivery_queue"}) {
      sql("vacuum analyze " + table);
    }
    String claim = "execute claim(100, gen_random_uuid(), '{}', 60000, 400, 64, '{}', '{}')";
    String finish = "execute finish(" + outcomes() + ")";

    long[] rows = join(queue.withConnection(connection -> prepare(connection, "claim", PgDeliveryQueue.CLAIM,
            "int, uuid, text[], bigint, int, int, int[], text[]")
        .compose(prepared -> prepare(connection, "finish", PgDeliveryQueue.FINISH, "uuid[], uuid[], text[],"
            + " timestamptz[], int[], timestamptz[], int[], int[], text[], text[], text[], timestamptz, text[],"
            + " uuid[], text[], text[], timestamptz[], uuid[]"))
        .compose(prepared -> connection.query(claim).execute()) // both planned now, on the empty queue
        .compose(planned -> connection.query(finish).execute())
        .compose(planned -> admin.query("""
            insert into delivery_queue (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                        due_at, created_at)
            select gen_random_uuid(), gen_random_uuid(), now(), 'HXqueue', 'SG_queue', 'pending', 1,
                   now() + interval '1 hour', now()
              from generate_series(1, %d)
            """.formatted(WAITING)).execute())
        .compose(filled -> PlanWork.of(connection, claim))
        .compose(claimed -> PlanWork.of(connection, finish).map(finished -> new long[] {claimed, finished}))));

    assertThat(rows[0]).as("rows the claim handled with %d deliveries waiting", WAITING).isLessThan(100);
    assertThat(rows[1]).as("rows the finish of %d handled with %d deliveries waiting", OUTCOMES, WAITING)
        .isLessThan(20L * OUTCOMES);
  }

  private static Future<Void> prepare(SqlConnection connection, String name, String statement, String types) {
    return connection.query("prepare " + name + " (" + types + ") as " + statement).execute().mapEmpty();
  }

  /**
   * The finish's parameters for {@value #OUTCOMES} deliveries none of which is leased: half claimed (no event), half
   * handed over, all delivered.
   */
  private static String outcomes() {
    int half = OUTCOMES / 2;
    String events = IntStream.range(0, OUTCOMES).mapToObj(i -> i < half ? "null" : UUID.randomUUID().toString())
        .collect(Collectors.joining(",", "'{", "}'"));
    return String.join(", ", uuids(), uuids(), repeated("delivered"), repeated("null"), repeated("1"),
        repeated(nowLiteral()), repeated("5"), repeated("200"), repeated("null"), repeated("null"), repeated("null"),
        "now()", "'{}'", events, repeated("HXqueue"), repeated("SG_queue"), repeated(nowLiteral()), "'{}'");
  }

  private static String uuids() {
    return IntStream.range(0, OUTCOMES).mapToObj(i -> UUID.randomUUID().toString())
        .collect(Collectors.joining(",", "'{", "}'"));
  }

  private static String repeated(String element) {
    return "'{" + String.join(",", Collections.nCopies(OUTCOMES, element)) + "}'";
  }

  private static String nowLiteral() {
    return "\"" + java.time.OffsetDateTime.now() + "\"";
  }

  private void sql(String sql) throws Exception {
    join(admin.query(sql).execute());
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
