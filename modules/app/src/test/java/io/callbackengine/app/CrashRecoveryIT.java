package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The promise of issue 3: an acknowledged event is delivered at least once even if the engine is killed at any
 * moment. Kill -9 a real engine process while deliveries are in flight, start another on the same database, and
 * check every acknowledged event reached the receiver and no delivery stays leased.
 */
class CrashRecoveryIT {

  @Test
  void everyAcknowledgedEventArrivesAfterAKillAndNothingStaysLeased() throws Exception {
    String schema = TestEngine.freshSchema(CrashRecoveryIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_DISPATCH_LEASE", "2s");
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "1s");
    env.put("CALLBACK_DISPATCH_CONNECT_TIMEOUT", "500ms");
    env.put("CALLBACK_DISPATCH_PER_PROFILE_IN_FLIGHT", "8");
    env.put("CALLBACK_RETRY_SCHEDULE", "200ms,200ms,200ms,200ms,200ms");
    Vertx vertx = Vertx.vertx();
    Receiver receiver = Receiver.start().answering(n -> Answer.slowly(100));
    try (EngineProcess first = EngineProcess.start(env, "crash-first")) {
      WebClient client = ContractCheck.shared()
          .watch(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")));
      JsonObject account = TestEngine.await(client.post(first.port, "127.0.0.1", "/admin/accounts")
          .putHeader("authorization", "Bearer " + TestEngine.ADMIN_TOKEN)
          .sendJsonObject(new JsonObject().put("name", "Crash"))).bodyAsJsonObject().getJsonObject("data");
      String sid = account.getString("sid");
      String key = account.getString("api_key");
      TestEngine.await(client.post(first.port, "127.0.0.1", "/v1/" + sid + "/callback/profiles").putHeader("api-key", key)
          .sendJsonObject(ProfileApiIT.minimal("Crash target").put("url", receiver.url("/crash"))
              .put("channel", "sms").put("events", "SMS-sent")));

      Set<String> acknowledged = new HashSet<>();
      for (int batch = 0; batch < 10; batch++) {
        JsonArray events = new JsonArray();
        for (int i = 0; i < 20; i++) {
          events.add(new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("n", batch * 20 + i)));
        }
        var reply = TestEngine.await(client.post(first.port, "127.0.0.1", "/v1/" + sid + "/callback/events")
            .putHeader("api-key", key).sendJson(events));
        assertThat(reply.statusCode()).isEqualTo(202);
        reply.bodyAsJsonObject().getJsonObject("data").getJsonArray("events")
            .forEach(e -> acknowledged.add(((JsonObject) e).getString("event_id")));
      }
      receiver.awaitArrivals(20, Duration.ofSeconds(10));
      first.kill();

      long leasedAfterKill = countSql(schema, "select count(*) from deliveries where status = 'delivering'");
      try (EngineProcess second = EngineProcess.start(env, "crash-second")) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
            countSql(schema, "select count(*) from deliveries where status <> 'delivered'") == 0);

        List<String> deliveryIds = TestEngine.sqlIn(schema, "select delivery_id from deliveries where event_id = any(array["
            + String.join(",", acknowledged.stream().map(id -> "'" + id + "'").toList()) + "])");
        Set<String> arrived = new HashSet<>();
        receiver.arrivals.forEach(a -> arrived.add(a.header("webhook-id")));
        assertThat(acknowledged).hasSize(200);
        assertThat(deliveryIds).hasSize(200);
        assertThat(arrived).containsAll(deliveryIds);
        assertThat(countSql(schema, "select count(*) from deliveries where lease_token is not null")).isZero();
        System.getLogger(CrashRecoveryIT.class.getName()).log(System.Logger.Level.INFO,
            "crash test: {0} acknowledged, {1} leased at the kill, {2} arrivals ({3} duplicates)",
            acknowledged.size(), leasedAfterKill, receiver.arrivals.size(), receiver.arrivals.size() - arrived.size());
        assertThat(second.terminate(Duration.ofSeconds(20))).isZero();
      }
    } finally {
      TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
      receiver.close();
      TestEngine.await(vertx.close());
    }
  }

  private static long countSql(String schema, String sql) {
    return Long.parseLong(TestEngine.sqlIn(schema, sql).get(0));
  }
}
