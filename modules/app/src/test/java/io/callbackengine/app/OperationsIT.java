package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What operators see: domain metrics moving, readiness per role, and accounts made from the command line. */
class OperationsIT {

  private static final Duration WITHIN = Duration.ofSeconds(15);

  @Test
  void metricsCountEventsAttemptsAndDeliveriesWithLowCardinalityLabels() {
    String schema = TestEngine.freshSchema(OperationsIT.class);
    try (Receiver receiver = Receiver.start().answering(n -> n % 2 == 0 ? Answer.status(500) : Answer.status(200));
         TestEngine engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema))) {
      TestAccount account = engine.createAccount("Metrics");
      String profileId = engine.createProfile(account, ProfileApiIT.minimal("Metered").put("url", receiver.url("/m"))
          .put("channel", "sms").put("events", "SMS-sent")).getString("profile_id");

      engine.publish(account, new JsonArray().add(new JsonObject().put("event", "SMS-sent"))
          .add(new JsonObject().put("event", "SMS-sent")));
      await().atMost(WITHIN).until(() -> metric(engine, "callback_deliveries_finished_total\\{outcome=\"delivered\"}") == 2);

      String text = engine.request(GET, "/metrics").send().raw().toString();
      assertThat(metric(engine, "callback_events_accepted_total\\{channel=\"sms\",event=\"SMS-sent\"}")).isEqualTo(2);
      assertThat(metric(engine, "callback_attempts_total\\{result=\"5xx\"}")).isEqualTo(2);
      assertThat(metric(engine, "callback_attempts_total\\{result=\"2xx\"}")).isEqualTo(2);
      assertThat(metric(engine, "callback_attempt_duration_seconds_count")).isEqualTo(4);
      assertThat(metric(engine, "callback_delivery_latency_seconds_count")).isEqualTo(2);
      assertThat(text).contains("callback_queue_deliveries{state=\"pending\"}", "callback_queue_lag_seconds",
          "callback_profiles{status=\"active\"}", "callback_profiles_auto_disabled_total",
          "vertx_http_client_requests_total", "jvm_memory_used_bytes");
      assertThat(text).doesNotContain(account.sid()).doesNotContain(profileId).doesNotContain(receiver.url("/m"));
    }
  }

  @Test
  void readinessReportsTheDispatcherAndAnApiOnlyProcessSendsNothing() {
    String schema = TestEngine.freshSchema(OperationsIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_ROLES", "api");
    try (Receiver receiver = Receiver.start(); TestEngine engine = TestEngine.start(schema, env)) {
      JsonObject ready = engine.request(GET, "/health/ready").send().body();
      TestAccount account = engine.createAccount("API only");
      engine.createProfile(account, ProfileApiIT.minimal("Waits").put("url", receiver.url("/w"))
          .put("channel", "sms").put("events", "SMS-sent"));
      engine.publish(account, new JsonObject().put("event", "SMS-sent"));

      assertThat(ready.getJsonObject("checks").getString("dispatcher")).isEqualTo("OFF");
      assertThat(ready.getString("status")).isEqualTo("UP");
      await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> receiver.arrivals.isEmpty());
      assertThat(engine.sql("select count(*) from deliveries where status = 'pending'").iterator().next().getLong(0))
          .isEqualTo(1);
    }
  }

  @Test
  void aDispatcherOnlyProcessServesHealthAndMetricsButNoApi() {
    String schema = TestEngine.freshSchema(OperationsIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_ROLES", "dispatcher");
    try (TestEngine engine = TestEngine.start(schema, env)) {
      JsonObject ready = engine.request(GET, "/health/ready").send().body();

      assertThat(ready.getJsonObject("checks").getString("dispatcher")).isEqualTo("UP");
      assertThat(engine.request(GET, "/metrics").send().status()).isEqualTo(200);
      assertThat(engine.admin(GET, "/admin/accounts").send().status()).isEqualTo(404);
    }
  }

  @Test
  void createAccountFromTheCommandLineGivesAWorkingKey() {
    String schema = TestEngine.freshSchema(OperationsIT.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, String> env = TestEngine.environment(schema);

    int status = Main.run(List.of("create-account", "--name", "From the CLI"), env,
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

    assertThat(status).isZero();
    Matcher sid = Pattern.compile("sid: (\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    Matcher key = Pattern.compile("api_key: (\\S+)").matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(sid.find() && key.find()).isTrue();
    try (TestEngine engine = TestEngine.start(schema, env)) {
      assertThat(engine.request(GET, "/v1/" + sid.group(1) + "/callback/profiles").apiKey(key.group(1)).send().status())
          .isEqualTo(200);
    }
  }

  static double metric(TestEngine engine, String series) {
    String text = engine.request(GET, "/metrics").send().raw().toString();
    Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
