package io.callbackengine.app;

import static io.vertx.core.http.HttpMethod.GET;
import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.Receiver.Arrival;
import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publish → receive, end to end through a real receiver: what a callback carries (signature, encrypted values,
 * rendered replacers), both intake paths, routing, idempotency and the delivery log.
 */
class DeliveryIT {

  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static TestEngine engine;
  private static Receiver receiver;
  private TestAccount account;

  @BeforeAll
  static void start() {
    String schema = TestEngine.freshSchema(DeliveryIT.class);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema));
    receiver = Receiver.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
    receiver.close();
  }

  @BeforeEach
  void freshAccount() {
    receiver.arrivals.clear();
    account = engine.createAccount("Delivery " + System.nanoTime());
  }

  @Test
  void freshDeliveriesGoStraightToThisProcesssDispatcherWithoutAClaim() {
    engine.createProfile(account, new JsonObject().put("title", "Handed over").put("http_method", "POST")
        .put("channel", "sms").put("events", "SMS-sent").put("url", receiver.url("/handed"))
        .put("body", new JsonObject().put("n", "<n>")));
    String handedOver = "callback_dispatch_taken_total\\{source=\"handed_over\"}";
    String claimed = "callback_dispatch_taken_total\\{source=\"claimed\"}";
    double handedBefore = OperationsIT.metric(engine, handedOver);
    double claimedBefore = OperationsIT.metric(engine, claimed);

    for (int n = 0; n < 20; n++) {
      assertThat(engine.publish(account, new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("n", n)))
          .status()).isEqualTo(202);
    }
    receiver.awaitArrivals(20, WITHIN);

    assertThat(OperationsIT.metric(engine, handedOver) - handedBefore).isEqualTo(20);
    assertThat(OperationsIT.metric(engine, claimed) - claimedBefore).isZero();
    assertThat(engine.sql("select count(*) from deliveries where status = 'delivered' and sid = '" + account.sid() + "'")
        .iterator().next().getLong(0)).isEqualTo(20);
  }

  @Test
  void aPublishedEventArrivesSignedWithItsValuesEncryptedAndRendered() throws Exception {
    JsonObject profile = engine.createProfile(account, new JsonObject()
        .put("title", "Signed and sealed").put("http_method", "POST").put("channel", "sms").put("events", "SMS-sent")
        .put("url", receiver.url("/sms/<account>?to=<phone>"))
        .put("headers", new JsonObject().put("X-Trace", "<event_id>").put("Authorization", "Bearer receiver-token"))
        .put("body", new JsonObject().put("status", "<status>").put("price", "<price>").put("to", "<phone>")
            .put("city", "<address.city>").put("first", "<parts[0]>").put("text", "Order <order> is <status>")
            .put("missing", "<nothing>").put("when", "<timestamp>"))
        .put("replacers", new JsonObject().put("phone", "recipient"))
        .put("dynamic_variables", new JsonObject().put("account", "acme corp"))
        .put("enc", new JsonObject().put("algo", "AES-128-GCM").put("key", "0123456789abcdef")
            .put("IV", "fedcba9876543210").put("params", new JsonArray().add("status").add("price"))));

    Reply published = engine.publish(account, new JsonObject().put("event", "SMS-sent").put("channel", "sms")
        .put("data", new JsonObject().put("status", "DELIVRD").put("price", 0.25).put("recipient", "+91 98 & co")
            .put("address", new JsonObject().put("city", "Pune")).put("parts", new JsonArray().add("p0"))
            .put("order", 42)));

    assertThat(published.status()).isEqualTo(202);
    assertThat(published.body().getString("code")).isEqualTo("EVT202");
    JsonObject accepted = published.data().getJsonArray("events").getJsonObject(0);
    assertThat(accepted.getInteger("deliveries")).isEqualTo(1);
    Arrival arrival = receiver.awaitArrivals(1, WITHIN).get(0);

    assertThat(arrival.method()).isEqualTo("POST");
    assertThat(arrival.uri()).isEqualTo("/sms/acme%20corp?to=%2B91%2098%20%26%20co");
    assertThat(arrival.header("Content-Type")).isEqualTo("application/json");
    assertThat(arrival.header("User-Agent")).startsWith("CallbackEngine/");
    assertThat(arrival.header("X-Trace")).isEqualTo(accepted.getString("event_id"));
    assertThat(arrival.header("Authorization")).isEqualTo("Bearer receiver-token");
    String webhookId = arrival.header("webhook-id");
    assertThat(webhookId).startsWith("msg_");
    long timestamp = Long.parseLong(arrival.header("webhook-timestamp"));
    assertThat(timestamp).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
    assertThat(arrival.header("webhook-signature")).isEqualTo("v1," + hmac(profile.getString("signing_secret"),
        webhookId + "." + timestamp + "." + arrival.body().toString(StandardCharsets.UTF_8)));

    JsonObject body = new JsonObject(arrival.body());
    assertThat(decryptGcm(body.getString("status"), "0123456789abcdef", "fedcba9876543210")).isEqualTo("DELIVRD");
    assertThat(decryptGcm(body.getString("price"), "0123456789abcdef", "fedcba9876543210")).isEqualTo("0.25");
    assertThat(body.getValue("to")).isEqualTo("+91 98 & co");
    assertThat(body.getValue("city")).isEqualTo("Pune");
    assertThat(body.getValue("first")).isEqualTo("p0");
    assertThat(body.getValue("text")).isEqualTo("Order 42 is DELIVRD");
    assertThat(body.getValue("missing")).isEqualTo("");
    assertThat(body.getString("when")).matches("\\d{4}-.*Z");

    JsonObject delivery = engine.awaitDelivery(account, webhookId, "delivered", WITHIN);
    JsonObject attempt = delivery.getJsonArray("attempts").getJsonObject(0);
    assertThat(attempt.getInteger("http_status")).isEqualTo(200);
    assertThat(attempt.getString("response_excerpt")).isEqualTo("ok");
    assertThat(attempt.getJsonArray("unknown_placeholders")).containsExactly("nothing");
  }

  @Test
  void typedValuesKeepTheirJsonTypeAndCfbValuesDecryptWithOpenssl() throws Exception {
    engine.createProfile(account, new JsonObject()
        .put("title", "Typed CFB").put("http_method", "PUT").put("url", receiver.url("/typed"))
        .put("channel", "sms").put("events", new JsonArray().add("SMS-delivered"))
        .put("body", new JsonObject().put("count", "<count>").put("ok", "<ok>").put("tags", "<tags>")
            .put("nested", new JsonObject().put("inner", "<meta>")).put("secret", "<code>"))
        .put("enc", new JsonObject().put("algo", "AES-128-CFB").put("key", "K1xxxxxxxxxxxx2P").put("IV", "POxxxxxxxxxxxxLY")
            .put("params", new JsonArray().add("secret"))));

    engine.publish(account, new JsonObject().put("event", "SMS-delivered").put("data", new JsonObject()
        .put("count", 3).put("ok", true).put("tags", new JsonArray().add("a")).put("meta", new JsonObject().put("k", 1))
        .put("code", "one-time-code 1234")));

    Arrival arrival = receiver.awaitArrivals(1, WITHIN).get(0);
    JsonObject body = new JsonObject(arrival.body());
    assertThat(arrival.method()).isEqualTo("PUT");
    assertThat(body.getValue("count")).isEqualTo(3);
    assertThat(body.getValue("ok")).isEqualTo(true);
    assertThat(body.getJsonArray("tags")).isEqualTo(new JsonArray().add("a"));
    assertThat(body.getJsonObject("nested").getJsonObject("inner")).isEqualTo(new JsonObject().put("k", 1));
    assertThat(openssl(body.getString("secret"), "K1xxxxxxxxxxxx2P", "POxxxxxxxxxxxxLY")).isEqualTo("one-time-code 1234");
  }

  @Test
  void getCallbacksCarryTheBodyAsQueryParameters() {
    engine.createProfile(account, new JsonObject().put("title", "GET hook").put("http_method", "GET")
        .put("url", receiver.url("/get?fixed=1")).put("channel", "sms").put("events", "SMS-sent")
        .put("body", new JsonObject().put("status", "<status>").put("n", "<n>")));

    engine.publish(account, new JsonObject().put("event", "SMS-sent").put("data",
        new JsonObject().put("status", "a b").put("n", 7)));

    Arrival arrival = receiver.awaitArrivals(1, WITHIN).get(0);
    assertThat(arrival.method()).isEqualTo("GET");
    assertThat(arrival.uri()).isEqualTo("/get?fixed=1&status=a%20b&n=7");
    assertThat(arrival.body().length()).isZero();
  }

  @Test
  void multipartProfilesReceiveAForm() {
    engine.createProfile(account, new JsonObject().put("title", "Form hook").put("http_method", "POST")
        .put("url", receiver.url("/form")).put("channel", "sms").put("events", "SMS-sent")
        .put("headers", new JsonObject().put("Content-Type", "multipart/form-data"))
        .put("body", new JsonObject().put("status", "<status>")));

    engine.publish(account, new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("status", "OK")));

    Arrival arrival = receiver.awaitArrivals(1, WITHIN).get(0);
    assertThat(arrival.header("Content-Type")).startsWith("multipart/form-data; boundary=");
    assertThat(arrival.body().toString()).contains("Content-Disposition: form-data; name=\"status\"\r\n\r\nOK\r\n");
  }

  @Test
  void routesByChannelEventAndProfileId() {
    JsonObject sms = engine.createProfile(account, ProfileApiIT.minimal("Route sms").put("url", receiver.url("/sms"))
        .put("channel", "sms").put("events", "SMS-sent"));
    engine.createProfile(account, ProfileApiIT.minimal("Route any").put("url", receiver.url("/any")));
    engine.createProfile(account, ProfileApiIT.minimal("Route wa").put("url", receiver.url("/wa"))
        .put("events", "WA-read"));

    List<Integer> counts = engine.publish(account, new JsonArray()
            .add(new JsonObject().put("event", "SMS-sent"))
            .add(new JsonObject().put("event", "SMS-failed"))
            .add(new JsonObject().put("event", "WA-read").put("channel", "whatsapp"))
            .add(new JsonObject().put("event", "Call-ended").put("channel", "voice"))
            .add(new JsonObject().put("event", "Anything").put("profile_id", sms.getString("profile_id"))))
        .data().getJsonArray("events").stream().map(e -> ((JsonObject) e).getInteger("deliveries")).toList();

    assertThat(counts).containsExactly(1, 0, 2, 1, 1);
    List<String> paths = receiver.awaitArrivals(5, WITHIN).stream().map(Arrival::uri).sorted().toList();
    assertThat(paths).containsExactly("/any", "/any", "/sms", "/sms", "/wa");
  }

  @Test
  void aRepeatedProducerIdCreatesNothingNew() {
    engine.createProfile(account, ProfileApiIT.minimal("Idempotent").put("url", receiver.url("/once"))
        .put("channel", "sms").put("events", "SMS-sent"));
    JsonObject event = new JsonObject().put("id", "producer-123").put("event", "SMS-sent");

    JsonObject first = engine.publish(account, event).data().getJsonArray("events").getJsonObject(0);
    JsonObject second = engine.publish(account, new JsonArray().add(event).add(event)).data();

    assertThat(first.getBoolean("duplicate")).isFalse();
    for (Object repeat : second.getJsonArray("events")) {
      assertThat(((JsonObject) repeat).getString("event_id")).isEqualTo(first.getString("event_id"));
      assertThat(((JsonObject) repeat).getBoolean("duplicate")).isTrue();
      assertThat(((JsonObject) repeat).getInteger("deliveries")).isEqualTo(1);
    }
    receiver.awaitArrivals(1, WITHIN);
    assertThat(engine.sql("select count(*) from deliveries d join events e using (event_id) where e.producer_id = "
        + "'producer-123' and e.sid = '" + account.sid() + "'").iterator().next().getLong(0)).isEqualTo(1);
  }

  /**
   * Publishes that arrive together share one statement and commit (group commit); each must still be answered with
   * its own events, routed to its own account's profiles only, and a publish for no account must fail alone.
   */
  @Test
  void concurrentPublishesOfSeveralAccountsShareCommitsButNothingElse() {
    TestAccount other = engine.createAccount("Delivery neighbour " + System.nanoTime());
    engine.createProfile(account, ProfileApiIT.minimal("Shared A").put("url", receiver.url("/a"))
        .put("channel", "sms").put("events", "SMS-sent").put("body", new JsonObject().put("n", "<n>")));
    engine.createProfile(other, ProfileApiIT.minimal("Shared B").put("url", receiver.url("/b"))
        .put("channel", "sms").put("events", "SMS-sent").put("body", new JsonObject().put("n", "<n>")));
    Vertx vertx = Vertx.vertx();
    try {
      WebClient client = ContractCheck.shared().watch(WebClient.create(vertx, new WebClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(engine.app.httpPort()), new PoolOptions().setHttp1MaxSize(64)));
      List<Future<Integer>> answers = new ArrayList<>();
      for (int n = 0; n < 300; n++) {
        TestAccount owner = n % 2 == 0 ? account : other;
        answers.add(client.post("/v1/" + owner.sid() + "/callback/events").putHeader("api-key", owner.apiKey())
            .sendJsonObject(new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("n", n)))
            .map(reply -> reply.statusCode()));
      }
      Future<Object> nobody = engine.app.vertx().eventBus().request("callback.events", new JsonObject()
          .put("sid", "HXNOBODY000IN").put("event", "SMS-sent")).map(reply -> reply.body());

      assertThat(TestEngine.await(Future.join(answers)).list()).hasSize(300).containsOnly(202);
      Throwable noAccount = org.assertj.core.api.Assertions.catchThrowable(() -> TestEngine.await(nobody));
      assertThat(((ReplyException) noAccount).failureCode()).isEqualTo(404);
    } finally {
      TestEngine.await(vertx.close());
    }

    List<Arrival> arrivals = receiver.awaitArrivals(300, WITHIN);
    for (String path : List.of("/a", "/b")) {
      List<Integer> numbers = arrivals.stream().filter(a -> a.uri().equals(path))
          .map(a -> new JsonObject(a.body()).getInteger("n")).sorted().toList();
      int parity = path.equals("/a") ? 0 : 1;
      assertThat(numbers).hasSize(150).allMatch(n -> n % 2 == parity).doesNotHaveDuplicates();
    }
    // Proof that commits were shared: events of both accounts stored by one statement carry its one timestamp.
    assertThat(engine.sql("select count(*) from (select created_at from events where sid in ('" + account.sid() + "', '"
        + other.sid() + "') group by created_at having count(distinct sid) = 2) shared").iterator().next().getLong(0))
        .isPositive();
  }

  @Test
  void theEventBusIntakeRepliesAfterStoringAndFailsLoudly() {
    engine.createProfile(account, ProfileApiIT.minimal("Bus").put("url", receiver.url("/bus"))
        .put("channel", "sms").put("events", "SMS-sent"));
    var bus = engine.app.vertx().eventBus();

    JsonObject reply = (JsonObject) TestEngine.await(bus.request("callback.events", new JsonObject()
        .put("sid", account.sid()).put("event", "SMS-sent").put("data", new JsonObject().put("status", "x")))).body();
    Throwable bad = org.assertj.core.api.Assertions.catchThrowable(() -> TestEngine.await(
        bus.request("callback.events", new JsonObject().put("sid", account.sid()))));
    Throwable unknownProfile = org.assertj.core.api.Assertions.catchThrowable(() -> TestEngine.await(
        bus.request("callback.events", new JsonObject().put("sid", account.sid()).put("event", "SMS-sent")
            .put("profile_id", "SG_nope"))));

    assertThat(reply.getJsonArray("events").getJsonObject(0).getInteger("deliveries")).isEqualTo(1);
    assertThat(receiver.awaitArrivals(1, WITHIN).get(0).uri()).isEqualTo("/bus");
    assertThat(bad).isInstanceOf(ReplyException.class).hasMessageContaining("required property 'event'");
    assertThat(((ReplyException) bad).failureCode()).isEqualTo(400);
    assertThat(((ReplyException) unknownProfile).failureCode()).isEqualTo(404);
  }

  @Test
  void refusesBadEventsNamingTheField() {
    Reply missing = engine.publish(account, new JsonArray().add(new JsonObject().put("event", "ok"))
        .add(new JsonObject().put("data", "nope")));
    Reply unknownProfile = engine.publish(account, new JsonObject().put("event", "SMS-sent").put("profile_id", "SG_x"));
    Reply empty = engine.publish(account, new JsonArray());

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.body().getString("code")).isEqualTo("EVT400");
    assertThat(missing.body().getJsonArray("error").stream().map(e -> ((JsonObject) e).getString("body")).toList())
        .containsExactly("body/1 must have required property 'event'", "body/1/data must be object");
    assertThat(unknownProfile.status()).isEqualTo(404);
    assertThat(empty.status()).isEqualTo(400);
  }

  @Test
  void listsAProfilesDeliveries() {
    JsonObject profile = engine.createProfile(account, ProfileApiIT.minimal("Logged").put("url", receiver.url("/log"))
        .put("channel", "sms").put("events", "SMS-sent"));
    engine.publish(account, new JsonArray().add(new JsonObject().put("event", "SMS-sent"))
        .add(new JsonObject().put("event", "SMS-sent")));
    receiver.awaitArrivals(2, WITHIN);
    String path = "/v1/" + account.sid() + "/callback/profiles/" + profile.getString("profile_id") + "/deliveries";

    org.awaitility.Awaitility.await().atMost(WITHIN).until(() ->
        engine.request(GET, path + "?status=delivered").apiKey(account.apiKey()).send().data().getLong("total") == 2);
    Reply page = engine.request(GET, path + "?limit=1").apiKey(account.apiKey()).send();
    Reply bad = engine.request(GET, path + "?status=lost").apiKey(account.apiKey()).send();

    assertThat(page.body().getString("code")).isEqualTo("RBC024");
    assertThat(page.data().getJsonArray("deliveries")).hasSize(1);
    assertThat(page.data().getJsonArray("deliveries").getJsonObject(0).getString("status")).isEqualTo("delivered");
    assertThat(bad.status()).isEqualTo(400);
  }

  static String hmac(String secret, String signed) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  static String decryptGcm(String base64, String key, String iv) throws Exception {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "AES"),
        new GCMParameterSpec(128, iv.getBytes(StandardCharsets.UTF_8)));
    return new String(cipher.doFinal(Base64.getDecoder().decode(base64)), StandardCharsets.UTF_8);
  }

  /** Decrypts a CFB value with the openssl command line, as a receiver would. */
  static String openssl(String base64, String key, String iv) throws Exception {
    HexFormat hex = HexFormat.of();
    Process process = new ProcessBuilder("openssl", "enc", "-d", "-a", "-A", "-aes-128-cfb",
        "-K", hex.formatHex(key.getBytes(StandardCharsets.UTF_8)), "-iv", hex.formatHex(iv.getBytes(StandardCharsets.UTF_8)))
        .redirectErrorStream(true).start();
    process.getOutputStream().write(base64.getBytes(StandardCharsets.US_ASCII));
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }
}
