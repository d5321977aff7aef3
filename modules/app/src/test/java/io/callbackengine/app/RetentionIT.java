package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.TestAccount;
import io.callbackengine.store.retention.PartitionRange;
import io.callbackengine.store.retention.PgPartitions;
import io.callbackengine.store.retention.RetentionPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention (API.md §10): maintenance drops whole partitions of finished deliveries, their attempts and events, and
 * keeps every unfinished delivery (held, pending a retry, being attempted) with its event and attempts, however old,
 * so that it is still delivered later. Maintenance runs here as other processes would, with their clocks days ahead,
 * so that everything the engine wrote is far older than a one-minute retention.
 */
class RetentionIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static final RetentionPolicy ONE_MINUTE = RetentionPolicy.of(Duration.ofMinutes(1));

  @Test
  void finishedDeliveriesGoWithTheirPartitionsAndUnfinishedOnesSurviveAndAreDeliveredLater() throws Exception {
    String schema = TestEngine.freshSchema(RetentionIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_RETRY_SCHEDULE", "200ms,1h,1h");
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "8s");
    env.put("CALLBACK_DISPATCH_LEASE", "12s");
    Vertx vertx = Vertx.vertx();
    try (Receiver ok = Receiver.start();
         Receiver failing = Receiver.start().answering(n -> n < 2 ? Answer.status(500) : Answer.status(200));
         Receiver hanging = Receiver.start().answering(n -> n == 0 ? Answer.hang() : Answer.status(200));
         Receiver later = Receiver.start();
         TestEngine engine = TestEngine.start(schema, env)) {
      TestAccount account = engine.createAccount("Retention");
      String done = profile(engine, account, "Done", ok, "done");
      String held = profile(engine, account, "Held", later, "held");
      String retrying = profile(engine, account, "Retrying", failing, "retrying");
      String attempting = profile(engine, account, "Attempting", hanging, "attempting");
      engine.request(PATCH, profilePath(account, held)).apiKey(account.apiKey()).json(new JsonObject().put("status", 3));

      String delivered = publish(engine, account, "done");
      String heldDelivery = publish(engine, account, "held");
      String pendingRetry = publish(engine, account, "retrying");
      String delivering = publish(engine, account, "attempting");
      engine.awaitDelivery(account, delivered, "delivered", WITHIN);
      await().atMost(WITHIN).until(() -> engine.delivery(account, pendingRetry).getInteger("attempt_count") == 2);
      await().atMost(WITHIN).until(() -> hanging.arrivals.size() == 1);
      assertThat(engine.delivery(account, heldDelivery).getString("status")).isEqualTo("held");
      assertThat(engine.delivery(account, pendingRetry).getString("status")).isEqualTo("pending");
      assertThat(engine.delivery(account, delivering).getString("status")).isEqualTo("delivering");
      // A profile's deliveries list those still in the queue, whether waiting or being attempted (V10 keeps the latter
      // out of the queue's index by profile), on their own and filtered by status.
      assertThat(listed(engine, account, attempting, "")).containsExactly(delivering);
      assertThat(listed(engine, account, attempting, "?status=delivering")).containsExactly(delivering);
      assertThat(listed(engine, account, attempting, "?status=pending")).isEmpty();
      assertThat(listed(engine, account, held, "?status=held")).containsExactly(heldDelivery);
      assertThat(listed(engine, account, retrying, "")).containsExactly(pendingRetry);

      // Two processes, five days on, run maintenance at the same moment: neither fails, no range is dropped twice.
      Instant fiveDaysOn = Instant.now().plus(Duration.ofDays(5));
      List<PartitionRange> before = TestEngine.await(partitions(vertx, schema, fiveDaysOn).ranges());
      long expired = before.stream().filter(r -> r.to().isBefore(fiveDaysOn.minus(Duration.ofMinutes(1)))).count();
      assertThat(expired).isPositive();
      Future<PgPartitions.Maintenance> a = partitions(vertx, schema, fiveDaysOn).maintain();
      Future<PgPartitions.Maintenance> b = partitions(vertx, schema, fiveDaysOn).maintain();
      PgPartitions.Maintenance first = TestEngine.await(a);
      PgPartitions.Maintenance second = TestEngine.await(b);
      assertThat(first.dropped() + second.dropped()).isEqualTo((int) expired);
      assertThat(first.kept() + second.kept()).as("the events of three unfinished deliveries and one earlier attempt")
          .isGreaterThanOrEqualTo(5);
      assertThat(TestEngine.await(partitions(vertx, schema, fiveDaysOn).ranges()))
          .noneMatch(r -> r.to().isBefore(fiveDaysOn.minus(Duration.ofMinutes(1))));

      // The finished delivery, its attempt and its event are gone; the delivery log answers as for an unknown one.
      assertThat(engine.request(GET, "/v1/" + account.sid() + "/callback/deliveries/" + delivered)
          .apiKey(account.apiKey()).send().status()).isEqualTo(404);
      assertThat(count(engine, "select count(*) from deliveries where delivery_id = '" + delivered + "'")).isZero();
      assertThat(count(engine, "select count(*) from attempts where delivery_id = '" + delivered + "'")).isZero();
      assertThat(count(engine, "select count(*) from events where event = 'done'")).isZero();
      // The unfinished ones are all still there, with their events and the attempts made so far.
      assertThat(engine.delivery(account, heldDelivery).getString("status")).isEqualTo("held");
      assertThat(engine.delivery(account, pendingRetry).getJsonArray("attempts")).hasSize(2);
      assertThat(count(engine, "select count(*) from events where event in ('held', 'retrying', 'attempting')"))
          .isEqualTo(3);

      // And they are delivered later, with their event's data.
      engine.request(PATCH, profilePath(account, held)).apiKey(account.apiKey()).json(new JsonObject().put("status", 1));
      engine.request(POST, "/v1/" + account.sid() + "/callback/deliveries/" + pendingRetry + "/retry")
          .apiKey(account.apiKey()).send();
      engine.awaitDelivery(account, heldDelivery, "delivered", WITHIN);
      engine.awaitDelivery(account, pendingRetry, "delivered", WITHIN);
      engine.awaitDelivery(account, delivering, "delivered", WITHIN);
      assertThat(later.arrivals.get(0).body().toJsonObject().getString("event")).isEqualTo("held");
      assertThat(failing.arrivals.get(2).body().toJsonObject().getString("event")).isEqualTo("retrying");
      assertThat(hanging.arrivals.get(1).body().toJsonObject().getString("event")).isEqualTo("attempting");
      assertThat(engine.delivery(account, pendingRetry).getJsonArray("attempts")).hasSize(3);

      // Finished now, and past the retention too: the next maintenance removes them from where they were kept.
      PgPartitions.Maintenance after = TestEngine.await(partitions(vertx, schema, fiveDaysOn.plusSeconds(60)).maintain());
      assertThat(after.pruned()).isGreaterThanOrEqualTo(6);
      for (String id : List.of(heldDelivery, pendingRetry, delivering)) {
        assertThat(engine.request(GET, "/v1/" + account.sid() + "/callback/deliveries/" + id)
            .apiKey(account.apiKey()).send().status()).isEqualTo(404);
      }
      assertThat(count(engine, "select count(*) from events")).isZero();
      assertThat(count(engine, "select count(*) from attempts")).isZero();
      assertThat(List.of(done, retrying, attempting)).doesNotContainNull();
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void theEngineCreatesPartitionsAheadAtStartAndReportsItsStorage() {
    String schema = TestEngine.freshSchema(RetentionIT.class);
    Map<String, String> env = TestEngine.environment(schema);
    env.put("CALLBACK_RETENTION", "2m");
    try (TestEngine engine = TestEngine.start(schema, env)) {
      List<String> ranges = TestEngine.sqlIn(schema, """
          select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
            join pg_class p on p.oid = i.inhparent where p.relname = 'event_log'
             and p.relnamespace = (select oid from pg_namespace where nspname = current_schema())""");
      // Two-minute retention: one-minute ranges, from this minute to at least eight minutes ahead, and the default.
      assertThat(ranges).contains("event_log_retained").hasSizeGreaterThanOrEqualTo(9);
      String metrics = engine.request(GET, "/metrics").send().raw().toString();
      assertThat(metrics).containsPattern("callback_storage_schema_bytes [1-9]")
          .contains("callback_retention_partitions_total{action=\"created\"}");
    }
  }

  @Test
  void theQueueVacuumRunsOneAtATimeAndRefreshesTheQueuesStatistics() throws Exception {
    String schema = TestEngine.freshSchema(RetentionIT.class);
    Vertx vertx = Vertx.vertx();
    try (TestEngine engine = TestEngine.start(schema, TestEngine.environment(schema))) {
      Future<Boolean> first = partitions(vertx, schema, Instant.now()).vacuumQueue(true);
      Future<Boolean> second = partitions(vertx, schema, Instant.now()).vacuumQueue(false);
      assertThat(List.of(TestEngine.await(first), TestEngine.await(second))).as("one at a time, never none")
          .contains(true);
      // The engine vacuums it too, every 10 s: until one run of ours found it free.
      PgPartitions partitions = partitions(vertx, schema, Instant.now());
      await().atMost(WITHIN).until(() -> TestEngine.await(partitions.vacuumQueue(true)));
      assertThat(TestEngine.sqlIn(schema, """
          select (last_vacuum is not null and last_analyze is not null)::text from pg_stat_user_tables
           where relname = 'delivery_queue' and schemaname = current_schema()""")).containsExactly("true");
      // Its pace (vacuum_cost_delay) is its own: the connection goes back to the pool as it came.
      Pool one = pool(vertx, schema, 1);
      PgPartitions onOneConnection = new PgPartitions(one, ONE_MINUTE, Clock.systemUTC());
      await().atMost(WITHIN).until(() -> TestEngine.await(onOneConnection.vacuumQueue(false)));
      assertThat(TestEngine.await(one.query("show vacuum_cost_delay").execute()).iterator().next().getString(0))
          .isEqualTo("0");
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  private static PgPartitions partitions(Vertx vertx, String schema, Instant now) {
    return new PgPartitions(pool(vertx, schema, 4), ONE_MINUTE, Clock.fixed(now, java.time.ZoneOffset.UTC));
  }

  private static Pool pool(Vertx vertx, String schema, int connections) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(connections))
        .connectingTo(PgConnectOptions.fromUri(TestEngine.DATABASE_URL).setProperties(Map.of("search_path", schema)))
        .using(vertx).build();
  }

  private static String profile(TestEngine engine, TestAccount account, String title, Receiver receiver, String event) {
    return engine.createProfile(account, ProfileApiIT.minimal(title).put("url", receiver.url("/" + event))
        .put("channel", "sms").put("events", event)
        .put("body", new JsonObject().put("event", "<event>"))).getString("profile_id");
  }

  private static String publish(TestEngine engine, TestAccount account, String event) {
    assertThat(engine.publish(account, new JsonObject().put("event", event)).status()).isEqualTo(202);
    return engine.sql("select d.delivery_id from deliveries d join events e using (event_id) where e.event = '"
        + event + "'").iterator().next().getString(0);
  }

  private static List<String> listed(TestEngine engine, TestAccount account, String profileId, String query) {
    JsonObject page = engine.request(GET, profilePath(account, profileId) + "/deliveries" + query)
        .apiKey(account.apiKey()).send().data();
    List<String> ids = page.getJsonArray("deliveries").stream()
        .map(d -> ((JsonObject) d).getString("delivery_id")).toList();
    assertThat(page.getLong("total")).as("total of " + query).isEqualTo(ids.size());
    return ids;
  }

  private static String profilePath(TestAccount account, String profileId) {
    return "/v1/" + account.sid() + "/callback/profiles/" + profileId;
  }

  private static long count(TestEngine engine, String sql) {
    return engine.sql(sql).iterator().next().getLong(0);
  }
}
