package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replay after an outage (API.md §14): one call puts every failed delivery back, and all of them arrive. */
class ReplayIT {

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static TestEngine engine;
  private static Receiver receiver;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(ReplayIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
    receiver.close();
  }

  @Test
  void fiveHundredDeliveriesThatFailedDuringAnOutageAllArriveAfterOneReplay() {
    TestAccount account = engine.createAccount("Replay " + System.nanoTime());
    String path = "/outage" + System.nanoTime();
    receiver.answering(n -> Answer.status(503, "down for maintenance"));
    String profileId = engine.createProfile(account, new JsonObject().put("title", "Outage").put("http_method", "POST")
        .put("channel", "sms").put("events", "SMS-sent").put("url", receiver.url(path))
        .put("body", new JsonObject().put("n", "<n>")).put("policy", new JsonObject().put("retry_schedule", "100ms")))
        .getString("profile_id");
    String profiles = "/v1/" + account.sid() + "/callback/profiles/" + profileId;
    Instant before = Instant.now().minusSeconds(1);

    for (int batch = 0; batch < 5; batch++) {
      int from = batch * 100;
      assertThat(engine.publish(account, new JsonArray(IntStream.range(from, from + 100).mapToObj(n -> new JsonObject()
          .put("event", "SMS-sent").put("data", new JsonObject().put("n", n))).toList())).status()).isEqualTo(202);
    }
    await().atMost(WITHIN).until(() -> engine.request(HttpMethod.GET, profiles + "/deliveries?status=failed&limit=1")
        .apiKey(account.apiKey()).send().data().getLong("total") == 500);
    receiver.arrivals.clear();
    receiver.answering(n -> Answer.status(200, "ok"));

    Reply replay = engine.request(HttpMethod.POST, profiles + "/replay").apiKey(account.apiKey())
        .json(new JsonObject().put("since", before.toString()));

    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.data()).isEqualTo(new JsonObject().put("replayed", 500).put("more", false));
    await().atMost(WITHIN).until(() -> receiver.arrivals.stream().filter(a -> a.uri().startsWith(path)).count() >= 500);
    List<String> arrived = receiver.arrivals.stream().filter(a -> a.uri().startsWith(path))
        .map(a -> new JsonObject(a.body()).getValue("n").toString()).sorted().distinct().collect(Collectors.toList());
    assertThat(arrived).hasSize(500);

    String deliveryId = receiver.arrivals.get(0).header("webhook-id");
    JsonObject delivery = engine.awaitDelivery(account, deliveryId, "delivered", WITHIN);
    JsonArray attempts = delivery.getJsonArray("attempts");
    assertThat(attempts).as("two failed before the outage ended, then the replayed one").hasSize(3);
    assertThat(attempts.getJsonObject(0).getInteger("http_status")).isEqualTo(503);
    assertThat(attempts.getJsonObject(2).getInteger("attempt")).isEqualTo(3);
    assertThat(attempts.getJsonObject(2).getInteger("http_status")).isEqualTo(200);

    Reply again = engine.request(HttpMethod.POST, profiles + "/replay").apiKey(account.apiKey())
        .json(new JsonObject().put("since", before.toString()));
    assertThat(again.data()).as("nothing failed is left").isEqualTo(new JsonObject().put("replayed", 0).put("more", false));
  }

  @Test
  void aReplayNamesWhatIsWrongWithItAndKnowsOnlyTheAccountsProfiles() {
    TestAccount account = engine.createAccount("Replay checks " + System.nanoTime());
    TestAccount other = engine.createAccount("Replay other " + System.nanoTime());
    String profileId = engine.createProfile(other, new JsonObject().put("title", "Not yours").put("http_method", "POST")
        .put("url", receiver.url("/x")).put("body", new JsonObject())).getString("profile_id");

    Reply foreign = engine.request(HttpMethod.POST, "/v1/" + account.sid() + "/callback/profiles/" + profileId
        + "/replay").apiKey(account.apiKey()).json(new JsonObject().put("since", "2026-01-01T00:00:00Z"));
    assertThat(foreign.status()).isEqualTo(404);

    Reply bad = engine.request(HttpMethod.POST, "/v1/" + other.sid() + "/callback/profiles/" + profileId + "/replay")
        .apiKey(other.apiKey()).json(new JsonObject().put("since", "yesterday").put("status", new JsonArray().add("held")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonArray("error").stream().map(e -> ((JsonObject) e).getString("body")).toList())
        .containsExactly("body/since must be an ISO-8601 date-time with an offset, such as 2026-12-01T10:00:00Z",
            "body/status/0 must be equal to one of the allowed values: failed, delivered");
  }
}
