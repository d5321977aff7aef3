package io.callbackengine.store.event;

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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The publish statement's work grows with the number of events it stores, not with its square, whatever plan
 * PostgreSQL makes of it: the engine's connections run generic plans (see {@link DatabaseSettings}), planned without
 * knowing how many events a run brings, so PostgreSQL guesses a few and may join two sets the statement builds as a
 * nested loop. Until 2026-12-04 it did, with the statistics of a small account (one or four profiles): a publish of
 * 1,000 events read some four million rows and took 245 ms instead of 30.
 *
 * <p>The work is what the server counts for the statement's generic plan ({@link PlanWork}). Ten times the events
 * must cost well under a hundred times the work; a linear plan costs about ten times.
 */
class PublishPlanIT {

  private static final String URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");
  private static final String SID = "HXplan";

  private final String schema = "it_publish_plan_" + UUID.randomUUID().toString().substring(0, 8);
  private final DatabaseSettings settings = new DatabaseSettings(URL, schema, 1, Duration.ofSeconds(3),
      Duration.ofSeconds(5), Duration.ofSeconds(30));
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(settings.connectOptions()).using(vertx).build();
    join(new SchemaMigrator(settings).migrate(vertx));
    sql("insert into accounts (sid, name, created_at) values ('" + SID + "', 'Plan', now())");
  }

  @AfterEach
  void close() throws Exception {
    join(pool.query("drop schema if exists " + schema + " cascade").execute());
    join(vertx.close());
  }

  @ParameterizedTest(name = "{0} profile(s), producer ids: {1}")
  @CsvSource({"1, false", "1, true", "4, false", "4, true"})
  void aPublishOfTenTimesTheEventsDoesAboutTenTimesTheWork(int profiles, boolean producerIds) throws Exception {
    for (int i = 0; i < profiles; i++) {
      sql("""
          insert into profiles (profile_id, sid, title, http_method, url, headers, channel, replacers, signing_secret,
                                created_at)
          values ('SG_plan%d', '%s', 'Plan %d', 'POST', 'http://127.0.0.1:9/x', '{}', 'default', '{}', '\\x00', now())
          """.formatted(i, SID, i));
    }
    // The statistics a small account has once (auto)vacuum has seen it; with them the plan used to go quadratic.
    for (String table : new String[] {"accounts", "profiles", "delivery_queue", "delivery_handoff", "event_log"}) {
      sql("vacuum analyze " + table);
    }

    long small = join(pool.withConnection(connection -> work(connection, 100, producerIds)));
    long large = join(pool.withConnection(connection -> work(connection, 1000, producerIds)));

    assertThat(large).as("rows handled: %d for 1,000 events, %d for 100", large, small).isLessThan(25 * small);
  }

  /** Publishes {@code events} events through the statement's generic plan; answers the rows its plan nodes handled. */
  private static Future<Long> work(SqlConnection connection, int events, boolean producerIds) {
    String name = "publish_" + events;
    String prepare = "prepare " + name + " (timestamptz, text[], uuid[], text[], text[], text[], text[], text[], uuid,"
        + " bigint, int, jsonb, int, text[]) as " + PgEventStore.PUBLISH;
    String execute = "execute " + name + "(now(), %s, %s, %s, %s, %s, %s, %s,"
        + " gen_random_uuid(), 60000, 100000, '{}', 100000, %s)";
    String ids = IntStream.range(0, events).mapToObj(i -> UUID.randomUUID().toString())
        .collect(Collectors.joining(",", "'{", "}'"));
    String producers = producerIds
        ? IntStream.range(0, events).mapToObj(i -> "p" + UUID.randomUUID()).collect(Collectors.joining(",", "'{", "}'"))
        : repeated("null", events);
    String sql = execute.formatted(repeated("'" + SID + "'", events), ids, producers,
        repeated("'SMS-sent'", events), repeated("'default'", events), repeated("null", events),
        repeated("'{\"status\":\"sent\"}'", events), repeated("null", events));
    return connection.query(prepare).execute().compose(prepared -> PlanWork.of(connection, sql));
  }


  private static String repeated(String literal, int times) {
    return "array[" + String.join(",", Collections.nCopies(times, literal)) + "]::text[]";
  }

  private void sql(String sql) throws Exception {
    join(pool.query(sql).execute());
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
