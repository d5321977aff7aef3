package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries on the schedule, the attempt log, auto-disabling (window and count from configuration, 410 at once),
 * held deliveries released on re-enable, cancelled on delete, and the manual retry.
 */
class RetryAndAutoDisableIT {

  private static final Duration WITHIN = Duration.ofSeconds(15);
  private TestEngine engine;
  private final Receiver receiver = Receiver.start();

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    receiver.close();
  }

  private TestAccount startEngine(Map<String, String> overrides) {
    String schema = TestEngine.freshSchema(RetryAndAutoDisableIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.putAll(overrides);
    engine = TestEngine.start(schema, env);
    return engine.createAccount("Retries");
  }

  private JsonObject profile(TestAccount account, String title) {
    return engine.createProfile(account, ProfileApiIT.minimal(title).put("url", receiver.url("/" + title.replace(' ', '-')))
        .put("channel", "sms").put("events", "SMS-sent"));
  }

  private String publishOne(TestAccount account) {
    engine.publish(account, new JsonObject().put("event", "SMS-sent"));
    return receiver.awaitArrivals(1, WITHIN).get(0).header("webhook-id");
  }

  private int status(TestAccount account, JsonObject profile) {
    return engine.request(GET, "/v1/" + account.sid() + "/callback/profiles/" + profile.getString("profile_id"))
        .apiKey(account.apiKey()).send().data().getInteger("status");
  }

  @Test
  void aReceiverFailingThreeTimesGetsTheFourthAttemptAndTheLogShowsAll() {
    TestAccount account = startEngine(Map.of("CALLBACK_RETRY_SCHEDULE", "100ms,200ms,300ms,400ms"));
    receiver.answering(n -> n < 3 ? Answer.status(500, "down " + n) : Answer.status(200, "finally"));
    profile(account, "Flaky");

    String deliveryId = publishOne(account);
    JsonObject delivery = engine.awaitDelivery(account, deliveryId, "delivered", WITHIN);

    assertThat(receiver.arrivals).hasSize(4);
    assertThat(receiver.arrivals.stream().map(a -> a.header("webhook-id")).distinct()).containsExactly(deliveryId);
    assertThat(Duration.between(receiver.arrivals.get(2).at(), receiver.arrivals.get(3).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    JsonArray attempts = delivery.getJsonArray("attempts");
    assertThat(attempts).hasSize(4);
    assertThat(attempts.stream().map(a -> ((JsonObject) a).getInteger("http_status")).toList()).containsExactly(500, 500, 500, 200);
    assertThat(attempts.getJsonObject(0).getString("response_excerpt")).isEqualTo("down 0");
    assertThat(attempts.getJsonObject(0).getString("error")).isEqualTo("HTTP 500");
    assertThat(attempts.getJsonObject(3).getValue("error")).isNull();
    assertThat(delivery.getInteger("attempt_count")).isEqualTo(4);
  }

  @Test
  void aDeliveryThatNeverSucceedsEndsFailedAfterTheLastScheduledAttempt() {
    TestAccount account = startEngine(Map.of("CALLBACK_RETRY_SCHEDULE", "100ms,100ms"));
    receiver.answering(n -> Answer.status(503));
    profile(account, "Always down");

    String deliveryId = publishOne(account);
    JsonObject delivery = engine.awaitDelivery(account, deliveryId, "failed", WITHIN);

    assertThat(delivery.getJsonArray("attempts")).hasSize(3);
    assertThat(delivery.getString("finished_at")).isNotNull();

    receiver.answering(n -> Answer.status(200));
    var retried = engine.request(POST, "/v1/" + account.sid() + "/callback/deliveries/" + deliveryId + "/retry")
        .apiKey(account.apiKey()).send();
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.body().getString("code")).isEqualTo("DLV200");
    assertThat(engine.awaitDelivery(account, deliveryId, "delivered", WITHIN).getJsonArray("attempts")).hasSize(4);
  }

  @Test
  void aRetryAnswersTheDeliveryWithoutItsAttempts() {
    TestAccount account = startEngine(Map.of("CALLBACK_RETRY_SCHEDULE", "100ms"));
    receiver.answering(n -> Answer.status(503));
    profile(account, "Down then retried");
    String deliveryId = publishOne(account);
    engine.awaitDelivery(account, deliveryId, "failed", WITHIN);

    receiver.answering(n -> Answer.status(200));
    JsonObject retried = engine.request(POST, "/v1/" + account.sid() + "/callback/deliveries/" + deliveryId + "/retry")
        .apiKey(account.apiKey()).send().data();

    assertThat(retried.getString("delivery_id")).isEqualTo(deliveryId);
    assertThat(retried.getInteger("last_http_status")).isEqualTo(503);
    assertThat(retried.containsKey("attempts")).isFalse();
  }

  @Test
  void aRetryWhileAnAttemptIsInFlightOrOfADeletedProfilesDeliveryIsAConflict() {
    TestAccount account = startEngine(Map.of("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "4s", "CALLBACK_DISPATCH_LEASE", "10s"));
    receiver.answering(n -> Answer.hang());
    profile(account, "Hanging");
    String hanging = publishOne(account);

    var inFlight = engine.request(POST, "/v1/" + account.sid() + "/callback/deliveries/" + hanging + "/retry")
        .apiKey(account.apiKey()).send();

    assertThat(inFlight.status()).isEqualTo(409);
    assertThat(inFlight.body().getString("code")).isEqualTo("DLV400");
    assertThat(inFlight.body().getString("message")).contains("is being attempted right now");

    JsonObject gone = engine.createProfile(account, ProfileApiIT.minimal("Deleted").put("url", receiver.url("/gone"))
        .put("channel", "sms").put("events", "SMS-later"));
    String path = "/v1/" + account.sid() + "/callback/profiles/" + gone.getString("profile_id");
    engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 3));
    engine.publish(account, new JsonObject().put("event", "SMS-later"));
    await().atMost(WITHIN).until(() -> engine.request(GET, path + "/deliveries?status=held").apiKey(account.apiKey())
        .send().data().getLong("total") == 1);
    String held = engine.request(GET, path + "/deliveries").apiKey(account.apiKey()).send().data()
        .getJsonArray("deliveries").getJsonObject(0).getString("delivery_id");
    engine.request(DELETE, path).apiKey(account.apiKey()).send();

    var deleted = engine.request(POST, "/v1/" + account.sid() + "/callback/deliveries/" + held + "/retry")
        .apiKey(account.apiKey()).send();

    assertThat(deleted.status()).isEqualTo(409);
    assertThat(deleted.body().getString("message")).contains("belongs to a deleted profile");
  }

  @Test
  void continuousFailureForTheWindowAutoDisablesAndHoldsWhatIsLeft() {
    TestAccount account = startEngine(Map.of("CALLBACK_RETRY_SCHEDULE", "150ms,150ms,150ms,150ms,150ms,150ms,150ms,150ms",
        "CALLBACK_AUTO_DISABLE_WINDOW", "500ms", "CALLBACK_AUTO_DISABLE_FAILURES", "3"));
    receiver.answering(n -> Answer.status(500));
    JsonObject profile = profile(account, "Dead receiver");

    String deliveryId = publishOne(account);

    await().atMost(WITHIN).until(() -> status(account, profile) == 2);
    JsonObject held = engine.awaitDelivery(account, deliveryId, "held", WITHIN);
    int attempts = held.getJsonArray("attempts").size();
    assertThat(attempts).isBetween(3, 8);

    engine.publish(account, new JsonObject().put("event", "SMS-sent"));
    String path = "/v1/" + account.sid() + "/callback/profiles/" + profile.getString("profile_id");
    await().atMost(WITHIN).until(() -> engine.request(GET, path + "/deliveries?status=held").apiKey(account.apiKey())
        .send().data().getLong("total") == 2);
    int arrivedWhileDisabled = receiver.arrivals.size();

    receiver.answering(n -> Answer.status(200));
    engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 1));

    await().atMost(WITHIN).until(() -> engine.request(GET, path + "/deliveries?status=delivered").apiKey(account.apiKey())
        .send().data().getLong("total") == 2);
    assertThat(receiver.arrivals.size()).isEqualTo(arrivedWhileDisabled + 2);
    assertThat(status(account, profile)).isEqualTo(1);
  }

  @Test
  void aSuccessInBetweenResetsTheCount() {
    TestAccount account = startEngine(Map.of("CALLBACK_RETRY_SCHEDULE", "100ms,100ms,100ms,100ms,100ms,100ms",
        "CALLBACK_AUTO_DISABLE_WINDOW", "300ms", "CALLBACK_AUTO_DISABLE_FAILURES", "3"));
    receiver.answering(n -> n % 3 == 2 ? Answer.status(200) : Answer.status(500));
    JsonObject profile = profile(account, "Sometimes up");

    for (int i = 0; i < 4; i++) {
      engine.publish(account, new JsonObject().put("event", "SMS-sent"));
    }

    await().atMost(WITHIN).until(() -> engine.request(GET, "/v1/" + account.sid() + "/callback/profiles/"
        + profile.getString("profile_id") + "/deliveries?status=delivered").apiKey(account.apiKey()).send().data()
        .getLong("total") == 4);
    assertThat(receiver.arrivals.size()).isGreaterThanOrEqualTo(10);
    assertThat(status(account, profile)).isEqualTo(1);
  }

  @Test
  void failuresSpacedWiderThanTheWindowDoNotDisable() {
    TestAccount account = startEngine(Map.of("CALLBACK_RETRY_SCHEDULE", "400ms,400ms,400ms,400ms",
        "CALLBACK_AUTO_DISABLE_WINDOW", "300ms", "CALLBACK_AUTO_DISABLE_FAILURES", "2"));
    receiver.answering(n -> Answer.status(500));
    JsonObject profile = profile(account, "Rarely down");

    String deliveryId = publishOne(account);
    engine.awaitDelivery(account, deliveryId, "failed", WITHIN);

    assertThat(receiver.arrivals).hasSize(5);
    assertThat(status(account, profile)).isEqualTo(1);
  }

  @Test
  void goneDisablesAtOnce() {
    TestAccount account = startEngine(Map.of());
    receiver.answering(n -> Answer.status(410, "gone"));
    JsonObject profile = profile(account, "Gone away");

    String deliveryId = publishOne(account);

    await().atMost(WITHIN).until(() -> status(account, profile) == 2);
    assertThat(engine.awaitDelivery(account, deliveryId, "held", WITHIN).getJsonArray("attempts")).hasSize(1);
    assertThat(receiver.arrivals).hasSize(1);
  }

  @Test
  void aDisabledProfileReceivesNothingAndDeletingCancelsWhatWaits() {
    TestAccount account = startEngine(Map.of());
    JsonObject profile = profile(account, "Paused");
    String path = "/v1/" + account.sid() + "/callback/profiles/" + profile.getString("profile_id");
    engine.request(PATCH, path).apiKey(account.apiKey()).json(new JsonObject().put("status", 3));

    List<String> deliveries = engine.publish(account, new JsonArray().add(new JsonObject().put("event", "SMS-sent"))
        .add(new JsonObject().put("event", "SMS-sent"))).data().getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("event_id")).toList();
    assertThat(deliveries).hasSize(2);
    await().atMost(WITHIN).until(() -> engine.request(GET, path + "/deliveries?status=held").apiKey(account.apiKey())
        .send().data().getLong("total") == 2);

    engine.request(DELETE, path).apiKey(account.apiKey()).send();

    assertThat(engine.sql("select count(*) from deliveries where status = 'cancelled' and profile_id = '"
        + profile.getString("profile_id") + "'").iterator().next().getLong(0)).isEqualTo(2);
    assertThat(receiver.arrivals).isEmpty();
  }
}
