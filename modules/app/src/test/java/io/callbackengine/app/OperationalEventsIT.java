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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's own events (API.md §14): {@code profile.auto_disabled}, {@code profile.enabled} and
 * {@code delivery.failed} reach the profiles that list them, signed like any callback, and never loop.
 */
class OperationalEventsIT {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static TestEngine engine;
  private static Receiver receiver;
  private TestAccount account;
  private String path;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(OperationalEventsIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
    receiver.answering(n -> Answer.status(200, "ok"));
    // Every path under /fail answers 500, every path under /gone 410; the rest 200.
    receiver.answering(n -> {
      String uri = receiver.arrivals.get(n).uri();
      return uri.contains("/fail") ? Answer.status(500, "no") : uri.contains("/gone") ? Answer.status(410, "gone")
          : Answer.status(200, "ok");
    });
  }

  @AfterAll
  static void stop() {
    engine.close();
    receiver.close();
  }

  @BeforeEach
  void fresh() {
    account = engine.createAccount("Ops " + System.nanoTime());
    path = "/o" + System.nanoTime();
  }

  private JsonObject profile(String title, String where, Object events, JsonObject more) {
    JsonObject profile = new JsonObject().put("title", title).put("http_method", "POST").put("url", receiver.url(path + where))
        .put("body", new JsonObject().put("event", "<event>").put("profile_id", "<profile_id>").put("title", "<title>")
            .put("status", "<status>").put("reason", "<reason>").put("delivery_id", "<delivery_id>")
            .put("attempts", "<attempts>").put("last_http_status", "<last_http_status>"))
        .put("events", events);
    more.forEach(e -> profile.put(e.getKey(), e.getValue()));
    return engine.createProfile(account, profile);
  }

  private List<Arrival> at(String where) {
    return receiver.arrivals.stream().filter(a -> a.uri().startsWith(path + where)).toList();
  }

  private void publish(String channel, String event) {
    assertThat(engine.publish(account, new JsonObject().put("event", event).put("channel", channel)
        .put("data", new JsonObject().put("n", 1))).status()).isEqualTo(202);
  }

  private long engineEvents(String name) {
    return engine.sql("select count(*) from events where channel = 'engine' and sid = '" + account.sid()
        + "' and event = '" + name + "'").iterator().next().getLong(0);
  }

  @Test
  void aProfileDisabledBy410IsToldToTheProfileListeningAndItsEnablingToo() throws Exception {
    JsonObject gone = profile("Gone away", "/gone", new JsonArray().add("order.paid"), new JsonObject());
    JsonObject watcher = profile("Watcher", "/watch", new JsonArray().add("profile.auto_disabled").add("profile.enabled"),
        new JsonObject());
    profile("Takes everything else", "/all", null, new JsonObject());

    publish("whatsapp", "order.paid");
    await().atMost(WITHIN).until(() -> at("/watch").size() >= 1);

    Arrival told = at("/watch").get(0);
    JsonObject body = new JsonObject(told.body());
    assertThat(body.getString("event")).isEqualTo("profile.auto_disabled");
    assertThat(body.getString("profile_id")).isEqualTo(gone.getString("profile_id"));
    assertThat(body.getString("title")).isEqualTo("Gone away");
    assertThat(body.getInteger("status")).isEqualTo(2);
    assertThat(body.getString("reason")).isEqualTo("the receiver answered 410 Gone");
    assertThat(told.header("webhook-signature")).isEqualTo("v1," + DeliveryIT.hmac(watcher.getString("signing_secret"),
        told.header("webhook-id") + "." + told.header("webhook-timestamp") + "."
            + told.body().toString(StandardCharsets.UTF_8)));
    assertThat(at("/all")).as("a null events list takes producers' events, not the engine's")
        .extracting(a -> new JsonObject(a.body()).getString("event")).containsExactly("order.paid");

    Reply enabled = engine.request(HttpMethod.PATCH, "/v1/" + account.sid() + "/callback/profiles/"
        + gone.getString("profile_id")).apiKey(account.apiKey()).json(new JsonObject().put("status", 1));
    assertThat(enabled.status()).isEqualTo(200);
    // The delivery that met the 410 waited, held, for its profile and is tried again once it is enabled; the receiver
    // still answers 410, so the profile is disabled and told again, and the two notices may arrive in either order.
    await().atMost(WITHIN).until(() -> notice("/watch", "profile.enabled").isPresent());
    JsonObject enabledNotice = notice("/watch", "profile.enabled").orElseThrow();
    assertThat(enabledNotice.getString("profile_id")).isEqualTo(gone.getString("profile_id"));
    assertThat(enabledNotice.getString("reason")).isEqualTo("enabled by the account after the engine disabled it");
  }

  private Optional<JsonObject> notice(String path, String event) {
    return at(path).stream().map(a -> new JsonObject(a.body())).filter(n -> event.equals(n.getString("event")))
        .findFirst();
  }

  @Test
  void aFailedDeliveryIsToldOnceAndAFailingListenerCausesNoMoreNotices() {
    JsonObject failing = profile("Always failing", "/fail-producer", new JsonArray().add("order.paid"),
        new JsonObject().put("policy", new JsonObject().put("retry_schedule", "")));
    profile("Failing listener", "/fail-listener", new JsonArray().add("delivery.failed"),
        new JsonObject().put("policy", new JsonObject().put("retry_schedule", "")));
    profile("Listener", "/listener", new JsonArray().add("delivery.failed"), new JsonObject());

    publish("whatsapp", "order.paid");
    await().atMost(WITHIN).until(() -> at("/listener").size() >= 1 && at("/fail-listener").size() >= 1);
    JsonObject data = new JsonObject(at("/listener").get(0).body());
    assertThat(data.getString("profile_id")).isEqualTo(failing.getString("profile_id"));
    assertThat(data.getString("delivery_id")).isEqualTo(at("/fail-producer").get(0).header("webhook-id"));
    assertThat(data.getInteger("attempts")).isEqualTo(1);
    assertThat(data.getInteger("last_http_status")).isEqualTo(500);

    // A second failure of the producer's profile: by the time its notice is stored, the failing listener's own
    // failed delivery (of the first notice) has long been recorded, and told nothing.
    publish("whatsapp", "order.paid");
    await().atMost(WITHIN).until(() -> at("/listener").size() >= 2);
    assertThat(engineEvents("delivery.failed")).isEqualTo(2);
    assertThat(at("/listener")).hasSize(2);
  }

  @Test
  void producersCannotPublishOnTheEnginesChannel() {
    Reply refused = engine.publish(account, new JsonObject().put("event", "delivery.failed").put("channel", "engine")
        .put("data", new JsonObject()));

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().getString("message"))
        .isEqualTo("body/channel must not be engine: that channel carries the engine's own events");
  }
}
