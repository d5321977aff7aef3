package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real processes, started from the packaged jar: SIGTERM under load drains and exits 0 with nothing leased; two
 * dispatcher processes on one database never send the same delivery twice; JSON logs carry no secrets.
 */
class ProcessLifecycleIT {

  private static Map<String, String> processEnvironment(String schema) {
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "3s");
    env.put("CALLBACK_DISPATCH_SHUTDOWN_GRACE", "10s");
    env.put("CALLBACK_DISPATCH_LEASE", "30s");
    return env;
  }

  private static JsonArray events(int count) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < count; i++) {
      events.add(new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("n", i)));
    }
    return events;
  }

  @Test
  void sigtermUnderLoadDrainsExitsZeroAndLeavesNothingLeased() throws Exception {
    String schema = TestEngine.freshSchema(ProcessLifecycleIT.class);
    Map<String, String> api = TestEngine.dispatchEnvironment(schema);
    api.put("CALLBACK_ROLES", "api");
    try (Receiver receiver = Receiver.start().answering(n -> Answer.slowly(200));
         TestEngine intake = TestEngine.start(schema, api)) {
      TestAccount account = intake.createAccount("Drain");
      intake.createProfile(account, ProfileApiIT.minimal("Slow receiver").put("url", receiver.url("/slow"))
          .put("channel", "sms").put("events", "SMS-sent"));
      try (EngineProcess dispatcher = EngineProcess.start(withRoles(processEnvironment(schema), "dispatcher"), "drain")) {
        assertThat(intake.publish(account, events(200)).status()).isEqualTo(202);
        receiver.awaitArrivals(10, Duration.ofSeconds(10));

        assertThat(dispatcher.terminate(Duration.ofSeconds(20))).isZero();
        int arrivedBeforeExit = receiver.arrivals.size();

        assertThat(count(intake, "lease_token is not null")).isZero();
        assertThat(count(intake, "status = 'delivering'")).isZero();
        assertThat(count(intake, "status = 'delivered'")).isEqualTo(arrivedBeforeExit);
        assertThat(Files.readString(dispatcher.log)).contains("Stopping: draining deliveries in flight", "Stopped");
      }
      try (EngineProcess next = EngineProcess.start(withRoles(processEnvironment(schema), "dispatcher"), "drain-next")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> count(intake, "status = 'delivered'") == 200);
      }
      assertThat(receiver.arrivals.stream().map(a -> a.header("webhook-id")).distinct().count()).isEqualTo(200);
    }
  }

  @Test
  void twoDispatcherProcessesNeverSendTheSameDeliveryTwice() throws Exception {
    String schema = TestEngine.freshSchema(ProcessLifecycleIT.class);
    Map<String, String> api = TestEngine.dispatchEnvironment(schema);
    api.put("CALLBACK_ROLES", "api");
    try (Receiver receiver = Receiver.start().answering(n -> Answer.slowly(5));
         TestEngine intake = TestEngine.start(schema, api);
         EngineProcess first = EngineProcess.start(withRoles(processEnvironment(schema), "dispatcher"), "pair-1");
         EngineProcess second = EngineProcess.start(withRoles(processEnvironment(schema), "dispatcher"), "pair-2")) {
      TestAccount account = intake.createAccount("Pair");
      for (int p = 0; p < 4; p++) {
        intake.createProfile(account, ProfileApiIT.minimal("Pair " + p).put("url", receiver.url("/p" + p))
            .put("channel", "sms").put("events", "SMS-sent"));
      }
      for (int batch = 0; batch < 5; batch++) {
        assertThat(intake.publish(account, events(100)).status()).isEqualTo(202);
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> count(intake, "status = 'delivered'") == 2000);

      // What a user relies on: every delivery arrived, and none arrived more often than its own recorded attempts
      // explain. Two processes sending one delivery show as an arrival with no attempt of its own (the lease fences
      // the later record out). Extra attempts are failures with their reason recorded: on a loaded machine opening a
      // connection can outlast the 1 s connect timeout ("connect timeout after 1000 ms": nothing was sent), and only
      // an attempt that timed out after sending ("timeout: ...") may have reached the receiver and repeat an arrival.
      Map<String, Integer> perDelivery = new HashMap<>();
      receiver.arrivals.forEach(a -> perDelivery.merge(a.header("webhook-id"), 1, Integer::sum));
      Map<String, Integer> sentAndTimedOut = new HashMap<>();
      intake.sql("""
          select delivery_id, (count(*) filter (where error like 'timeout:%'))::int from attempts group by 1
          """).forEach(row -> sentAndTimedOut.put(row.getString(0), row.getInteger(1)));
      assertThat(perDelivery).as("every delivery arrived").hasSize(2000);
      assertThat(sentAndTimedOut.keySet()).as("the deliveries that arrived are those attempted")
          .isEqualTo(perDelivery.keySet());
      List<String> unexplained = perDelivery.entrySet().stream()
          .filter(d -> d.getValue() > 1 + sentAndTimedOut.get(d.getKey()))
          .map(d -> d.getKey() + " arrived " + d.getValue() + " times").toList();
      assertThat(unexplained)
          .as(() -> "arrivals no attempt of their own explains; attempts of deliveries attempted more than once: "
              + TestEngine.sqlIn(schema, """
                  select delivery_id || ' #' || attempt || ' ' || coalesce(http_status::text, '-') || ' '
                         || coalesce(error, '-') from attempts
                   where delivery_id in (select delivery_id from attempts group by 1 having count(*) > 1)"""))
          .isEmpty();
      assertThat(intake.sql("select count(*) from attempt_log where error is null").iterator().next().getLong(0))
          .as("every attempt before a delivery's last failed for a recorded reason").isZero();
    }
  }

  @Test
  void jsonLogsAreJsonAndCarryNoSecrets() throws Exception {
    String schema = TestEngine.freshSchema(ProcessLifecycleIT.class);
    Map<String, String> env = processEnvironment(schema);
    env.put("CALLBACK_LOG_FORMAT", "json");
    env.put("CALLBACK_RETRY_SCHEDULE", "");
    try (Receiver receiver = Receiver.start().answering(n -> Answer.status(410));
         EngineProcess engine = EngineProcess.start(env, "json-logs")) {
      TestEngine.Reply created = TestEngine.ClientOnly.of(engine.port).admin("/admin/accounts", new JsonObject().put("name", "Logs"));
      String sid = created.data().getString("sid");
      String key = created.data().getString("api_key");
      JsonObject profile = TestEngine.ClientOnly.of(engine.port).post("/v1/" + sid + "/callback/profiles", key,
          ProfileApiIT.minimal("Logged secrets").put("url", receiver.url("/gone")).put("channel", "sms")
              .put("events", "SMS-sent").put("headers", new JsonObject().put("Authorization", "Bearer receiver-secret-token"))
              .put("enc", new JsonObject().put("algo", "AES-128-GCM").put("key", "0123456789abcdef"))).data();
      TestEngine.ClientOnly.of(engine.port).post("/v1/" + sid + "/callback/events", key,
          new JsonObject().put("event", "SMS-sent"));
      receiver.awaitArrivals(1, Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(engine.log).contains("auto-disabled"));
      assertThat(engine.terminate(Duration.ofSeconds(20))).isZero();

      List<String> lines = Files.readAllLines(engine.log).stream().filter(l -> !l.isBlank()).toList();
      assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(new JsonObject(line).getString("level")).isNotNull());
      String all = String.join("\n", lines);
      assertThat(all).contains("\"profile_id\"")
          .doesNotContain(key).doesNotContain(TestEngine.MASTER_KEY).doesNotContain(TestEngine.ADMIN_TOKEN)
          .doesNotContain(profile.getString("signing_secret")).doesNotContain("0123456789abcdef")
          .doesNotContain("receiver-secret-token");
    } finally {
      TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
    }
  }

  private static Map<String, String> withRoles(Map<String, String> env, String roles) {
    env.put("CALLBACK_ROLES", roles);
    return env;
  }

  private static long count(TestEngine engine, String where) {
    return engine.sql("select count(*) from deliveries where " + where).iterator().next().getLong(0);
  }
}
