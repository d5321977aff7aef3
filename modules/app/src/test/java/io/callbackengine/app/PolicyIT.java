package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.Receiver.Arrival;
import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A profile's own delivery settings end to end (API.md §14 "Policy"): final statuses, its own retry schedule and
 * timeout, requests in flight, and a rate limit shared by two dispatcher processes.
 */
class PolicyIT {

  private static final Logger LOG = Logger.getLogger(PolicyIT.class.getName());
  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static TestEngine engine;
  private static Receiver receiver;
  private TestAccount account;
  private String path;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(PolicyIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
    receiver.close();
  }

  @BeforeEach
  void fresh() {
    account = engine.createAccount("Policy " + System.nanoTime());
    path = "/p" + System.nanoTime();
  }

  private JsonObject profile(JsonObject policy) {
    return engine.createProfile(account, new JsonObject().put("title", "Policy " + System.nanoTime())
        .put("http_method", "POST").put("channel", "sms").put("events", "SMS-sent").put("url", receiver.url(path))
        .put("body", new JsonObject().put("n", "<n>")).put("policy", policy));
  }

  private List<Arrival> ours() {
    return receiver.arrivals.stream().filter(a -> a.uri().startsWith(path)).toList();
  }

  private String publishOne() {
    Reply reply = engine.publish(account, new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("n", 1)));
    assertThat(reply.status()).isEqualTo(202);
    await().atMost(WITHIN).until(() -> !ours().isEmpty());
    return ours().get(0).header("webhook-id");
  }

  @Test
  void getShowsEveryEffectiveSettingAndAPatchMergesFieldByField() {
    JsonObject created = profile(new JsonObject().put("max_in_flight", 4).put("final_statuses", new JsonArray().add(422)));
    assertThat(created.getJsonObject("policy")).isEqualTo(new JsonObject().put("retry_schedule", "200ms,200ms,200ms")
        .put("timeout", "2s").put("max_in_flight", 4).putNull("rate_limit")
        .put("final_statuses", new JsonArray().add(422)));

    Reply patched = engine.request(HttpMethod.PATCH, "/v1/" + account.sid() + "/callback/profiles/"
        + created.getString("profile_id")).apiKey(account.apiKey())
        .json(new JsonObject().put("policy", new JsonObject().put("timeout", "1s").putNull("max_in_flight")));
    assertThat(patched.data().getJsonObject("policy")).isEqualTo(new JsonObject()
        .put("retry_schedule", "200ms,200ms,200ms").put("timeout", "1s").put("max_in_flight", 16).putNull("rate_limit")
        .put("final_statuses", new JsonArray().add(422)));

    Reply refused = engine.request(HttpMethod.PATCH, "/v1/" + account.sid() + "/callback/profiles/"
        + created.getString("profile_id")).apiKey(account.apiKey())
        .json(new JsonObject().put("policy", new JsonObject().put("final_statuses", new JsonArray().add(410))));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().getString("message"))
        .isEqualTo("body/policy/final_statuses/0 must not be 410, which always disables the profile");
  }

  @Test
  void aListedFinalStatusEndsTheDeliveryAfterOneAttemptAndAnUnlistedOneIsRetried() {
    receiver.answering(n -> Answer.status(422, "unprocessable"));
    profile(new JsonObject().put("final_statuses", new JsonArray().add(422)));

    String listed = publishOne();
    JsonObject failed = engine.awaitDelivery(account, listed, "failed", WITHIN);
    assertThat(failed.getJsonArray("attempts")).hasSize(1);

    account = engine.createAccount("Policy unlisted " + System.nanoTime());
    path = "/p" + System.nanoTime();
    profile(new JsonObject().put("final_statuses", new JsonArray().add(400)));
    String unlisted = publishOne();
    JsonObject retried = engine.awaitDelivery(account, unlisted, "failed", WITHIN);
    assertThat(retried.getJsonArray("attempts")).as("the engine's schedule: 200ms x3").hasSize(4);
  }

  @Test
  void itsOwnRetryScheduleAndTimeoutApply() {
    receiver.answering(n -> Answer.hang());
    profile(new JsonObject().put("retry_schedule", "100ms").put("timeout", "300ms"));

    String id = publishOne();
    JsonObject failed = engine.awaitDelivery(account, id, "failed", WITHIN);

    JsonArray attempts = failed.getJsonArray("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.getJsonObject(0).getString("error")).isEqualTo("timeout: no complete answer within 300 ms");
    receiver.answering(n -> Answer.status(200, "ok"));
  }

  /** {@code max_in_flight} is per dispatcher process: this test has one. */
  @Test
  void maxInFlightOneSendsOneAtATime() {
    receiver.answering(n -> Answer.slowly(150));
    profile(new JsonObject().put("max_in_flight", 1));

    engine.publish(account, new JsonArray(IntStream.range(0, 6).mapToObj(n -> new JsonObject().put("event", "SMS-sent")
        .put("data", new JsonObject().put("n", n))).toList()));
    await().atMost(WITHIN).until(() -> ours().size() >= 6);

    List<Instant> at = ours().stream().map(Arrival::at).sorted().toList();
    for (int i = 1; i < at.size(); i++) {
      assertThat(Duration.between(at.get(i - 1), at.get(i))).as("arrival %d waited for the answer before it", i)
          .isGreaterThanOrEqualTo(Duration.ofMillis(140));
    }
    receiver.answering(n -> Answer.status(200, "ok"));
  }

  @Test
  void aRateLimitOfFiftyHoldsAcrossTwoDispatcherProcesses() {
    try (TestEngine sibling = engine.sibling()) {
      // Both processes must have counted each other before the limit is shared.
      for (TestEngine each : List.of(engine, sibling)) {
        await().atMost(WITHIN).until(() -> OperationsIT.metric(each, "callback_dispatch_processes") == 2);
      }
      profile(new JsonObject().put("rate_limit", 50));

      // Publishes go to both processes in turn, as behind a load balancer; each dispatches what it accepted.
      for (int batch = 0; batch < 4; batch++) {
        (batch % 2 == 0 ? engine : sibling).publish(account, new JsonArray(IntStream.range(0, 75)
            .mapToObj(n -> new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("n", n))).toList()));
      }
      await().atMost(Duration.ofSeconds(40)).until(() -> ours().size() >= 300);
    }

    Map<Long, Integer> perSecond = new TreeMap<>();
    List<Instant> at = ours().stream().map(Arrival::at).sorted().toList();
    Instant first = at.get(0);
    at.forEach(t -> perSecond.merge(Duration.between(first, t).toMillis() / 1000, 1, Integer::sum));
    int highest = perSecond.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    // Highest count in any sliding one-second window, the stricter measure.
    int sliding = 0;
    for (int i = 0, j = 0; i < at.size(); i++) {
      while (Duration.between(at.get(j), at.get(i)).toMillis() >= 1000) {
        j++;
      }
      sliding = Math.max(sliding, i - j + 1);
    }
    LOG.info("rate limit 50/s over two dispatchers: 300 callbacks in "
        + Duration.between(first, at.get(at.size() - 1)).toMillis() + " ms; highest 1-second count " + highest
        + ", highest sliding 1-second window " + sliding);
    // Each process spaces its share (25/s) evenly; arrival times bunch a little on a busy machine, hence ~50.
    assertThat(sliding).as("highest callbacks in any one second").isLessThanOrEqualTo(60);
    assertThat(ours()).hasSize(300);
  }
}
