package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a receiver cannot make the engine do: follow a redirect, buffer a huge body, wait forever, or reach a
 * blocked address, whether written as a literal (through a placeholder) or behind a host name.
 */
class SendingLimitsIT {

  private static final Duration WITHIN = Duration.ofSeconds(15);
  private TestEngine engine;
  private final Receiver receiver = Receiver.start();
  private final Receiver elsewhere = Receiver.start();

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    receiver.close();
    elsewhere.close();
  }

  private TestAccount startEngine(Map<String, String> overrides, io.callbackengine.dispatcher.HostResolver resolver) {
    String schema = TestEngine.freshSchema(SendingLimitsIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_RETRY_SCHEDULE", "");
    env.putAll(overrides);
    engine = TestEngine.start(schema, env, resolver);
    return engine.createAccount("Limits");
  }

  private JsonObject onlyAttempt(TestAccount account, String url, JsonObject data) {
    engine.createProfile(account, ProfileApiIT.minimal("Limited").put("url", url).put("channel", "sms").put("events", "SMS-sent"));
    engine.publish(account, new JsonObject().put("event", "SMS-sent").put("data", data));
    String deliveryId = engine.sql("select delivery_id from deliveries").iterator().next().getString(0);
    JsonObject delivery = engine.awaitDelivery(account, deliveryId, "failed", WITHIN);
    assertThat(delivery.getJsonArray("attempts")).hasSize(1);
    return delivery.getJsonArray("attempts").getJsonObject(0);
  }

  @Test
  void redirectsAreNotFollowed() {
    TestAccount account = startEngine(Map.of(), null);
    receiver.answering(n -> Answer.withHeaders(n % 2 == 0 ? 302 : 308, Map.of("Location", elsewhere.url("/moved"))));

    JsonObject attempt = onlyAttempt(account, receiver.url("/redirect"), new JsonObject());

    assertThat(attempt.getInteger("http_status")).isEqualTo(302);
    assertThat(attempt.getString("error")).isEqualTo("redirect not followed");
    assertThat(elsewhere.arrivals).isEmpty();
  }

  @Test
  void aHugeAnswerIsCutAfterTheExcerptInsteadOfBuffered() {
    TestAccount account = startEngine(Map.of("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "3s"), null);
    long oneGigabyte = 1024L * 1024 * 1024;
    receiver.answering(n -> Answer.stream(oneGigabyte));

    long started = System.nanoTime();
    engine.createProfile(account, ProfileApiIT.minimal("Huge").put("url", receiver.url("/huge"))
        .put("channel", "sms").put("events", "SMS-sent"));
    engine.publish(account, new JsonObject().put("event", "SMS-sent"));
    String deliveryId = engine.sql("select delivery_id from deliveries").iterator().next().getString(0);
    JsonObject delivery = engine.awaitDelivery(account, deliveryId, "delivered", WITHIN);

    JsonObject attempt = delivery.getJsonArray("attempts").getJsonObject(0);
    assertThat(attempt.getInteger("http_status")).isEqualTo(200);
    assertThat(attempt.getString("response_excerpt")).hasSize(4096);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(receiver.streamed.get()).as("bytes the receiver got to write").isLessThan(64L * 1024 * 1024);
  }

  @Test
  void aHangingReceiverIsCutAtTheRequestTimeout() {
    TestAccount account = startEngine(Map.of("CALLBACK_DISPATCH_REQUEST_TIMEOUT", "1s"), null);
    receiver.answering(n -> Answer.hang());

    JsonObject attempt = onlyAttempt(account, receiver.url("/hang"), new JsonObject());

    assertThat(attempt.getValue("http_status")).isNull();
    assertThat(attempt.getString("error")).isEqualTo("timeout: no complete answer within 1000 ms");
    assertThat(attempt.getInteger("duration_ms")).isBetween(900, 3000);
  }

  @Test
  void aBlockedLiteralArrivingThroughAPlaceholderIsRefusedAtConnectTime() {
    TestAccount account = startEngine(Map.of("CALLBACK_ALLOWED_CIDRS", ""), null);

    JsonObject attempt = onlyAttempt(account, "http://<host>:" + receiver.port() + "/cb",
        new JsonObject().put("host", "127.0.0.1"));

    assertThat(attempt.getString("error")).isEqualTo("blocked address: loopback address");
    assertThat(receiver.arrivals).isEmpty();
  }

  @Test
  void aHostNameResolvingToLoopbackIsRefusedAtConnectTime() {
    TestAccount account = startEngine(Map.of("CALLBACK_ALLOWED_CIDRS", ""),
        host -> Future.succeededFuture(List.of(loopback())));

    JsonObject attempt = onlyAttempt(account, "http://receiver.example:" + receiver.port() + "/cb", new JsonObject());

    assertThat(attempt.getString("error")).isEqualTo("blocked address: loopback address");
    assertThat(receiver.arrivals).isEmpty();
  }

  @Test
  void aVettedHostNameIsReachedAtTheAddressThatWasVetted() {
    TestAccount account = startEngine(Map.of(), host -> Future.succeededFuture(List.of(loopback())));
    engine.createProfile(account, ProfileApiIT.minimal("By name").put("url", "http://receiver.example:" + receiver.port() + "/named")
        .put("channel", "sms").put("events", "SMS-sent"));

    engine.publish(account, new JsonObject().put("event", "SMS-sent"));

    Receiver.Arrival arrival = receiver.awaitArrivals(1, WITHIN).get(0);
    assertThat(arrival.header("Host")).isEqualTo("receiver.example:" + receiver.port());
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("receiver.example", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
