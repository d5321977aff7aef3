package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.Receiver.Arrival;
import io.callbackengine.app.TestEngine.Reply;
import io.callbackengine.app.TestEngine.TestAccount;
import io.callbackengine.dispatcher.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Callback authentication end to end (API.md §12): a real token server (a {@link Receiver} answering token JSON and
 * counting requests) and a real receiver. Tokens are fetched once and reused, fetched again after expiry, after a
 * 401 and after the profile's auth changes; every way a token can fail ends the attempt with an {@code auth:} error;
 * secrets reach no response, attempt or log line.
 */
class CallbackAuthIT {

  private static final Duration WITHIN = Duration.ofSeconds(20);
  private static final String SECRET = "client-s3cret-that-must-not-leak";
  private static TestEngine engine;
  private static Receiver receiver;
  private static Receiver tokens;
  private static ListAppender<ILoggingEvent> logs;
  private TestAccount account;
  /** This test's own paths on the shared receiver and token server: retries of other tests never count here. */
  private String path;

  @BeforeAll
  static void start() throws Exception {
    String schema = TestEngine.freshSchema(CallbackAuthIT.class);
    // "blocked.test" resolves to a private address at connect time, as a name pointing inward would.
    InetAddress privateAddress = InetAddress.getByName("10.20.30.40");
    HostResolver resolver = host -> {
      if (host.equals("blocked.test")) {
        return Future.succeededFuture(List.of(privateAddress));
      }
      try {
        return Future.succeededFuture(List.of(InetAddress.getAllByName(host)));
      } catch (java.net.UnknownHostException e) {
        return Future.failedFuture(e);
      }
    };
    Logger engineLogs = (Logger) LoggerFactory.getLogger("io.callbackengine");
    engineLogs.setLevel(Level.DEBUG);
    logs = new ListAppender<>();
    logs.start();
    engineLogs.addAppender(logs);
    engine = TestEngine.start(schema, TestEngine.dispatchEnvironment(schema), resolver);
    receiver = Receiver.start();
    tokens = Receiver.start();
  }

  @AfterAll
  static void stop() {
    Logger engineLogs = (Logger) LoggerFactory.getLogger("io.callbackengine");
    engineLogs.detachAppender(logs);
    engineLogs.setLevel(null);
    engine.close();
    receiver.close();
    tokens.close();
  }

  @BeforeEach
  void fresh() {
    receiver.arrivals.clear();
    receiver.answering(n -> Answer.status(200, "ok"));
    tokens.arrivals.clear();
    tokens.answering(n -> token("token-" + n, "3599"));
    account = engine.createAccount("Auth " + System.nanoTime());
    path = "/t" + System.nanoTime();
  }

  /** This test's callbacks, once at least {@code count} have arrived. */
  private List<Arrival> callbacks(int count) {
    await().atMost(WITHIN).until(() -> ours(receiver).size() >= count);
    return ours(receiver);
  }

  /** This test's token requests so far. */
  private List<Arrival> tokenRequests() {
    return ours(tokens);
  }

  /**
   * The token the token server issued for {@code request}: its scripts number tokens by arrival, and a late retry
   * of another test may have arrived in between.
   */
  private static String issued(String prefix, Arrival request) {
    return "Bearer " + prefix + tokens.arrivals.indexOf(request);
  }

  private List<Arrival> ours(Receiver server) {
    return server.arrivals.stream().filter(a -> a.uri().startsWith(path)).toList();
  }

  private static Answer token(String token, Object expiresIn) {
    return new Answer(200, Map.of("Content-Type", "application/json"),
        new JsonObject().put("access_token", token).put("token_type", "Bearer").put("expires_in", expiresIn).encode(),
        false, 0);
  }

  private JsonObject oauth2() {
    return new JsonObject().put("type", "oauth2").put("token_url", tokens.url(path + "/oauth/token"))
        .put("client_id", "engine-client").put("client_secret", SECRET).put("scope", "callbacks:write");
  }

  private JsonObject profile(String title, JsonObject auth) {
    return engine.createProfile(account, new JsonObject().put("title", title).put("http_method", "POST")
        .put("channel", "sms").put("events", "SMS-sent").put("url", receiver.url(path + "/cb"))
        .put("body", new JsonObject().put("n", "<n>")).put("auth", auth));
  }

  private String publish(int n) {
    Reply reply = engine.publish(account, new JsonObject().put("event", "SMS-sent")
        .put("data", new JsonObject().put("n", n)));
    assertThat(reply.status()).isEqualTo(202);
    return reply.data().getJsonArray("events").getJsonObject(0).getString("event_id");
  }

  @Test
  void twoHundredCallbacksCostOneTokenRequest() {
    profile("Two hundred", oauth2());

    engine.publish(account, new JsonArray(IntStream.range(0, 200).mapToObj(n -> new JsonObject()
        .put("event", "SMS-sent").put("data", new JsonObject().put("n", n))).toList()));
    List<Arrival> arrivals = callbacks(200);

    assertThat(tokenRequests()).hasSize(1);
    String token = issued("token-", tokenRequests().get(0));
    assertThat(arrivals).allSatisfy(a -> assertThat(a.header("Authorization")).isEqualTo(token));
    Arrival request = tokenRequests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo(path + "/oauth/token");
    assertThat(request.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.header("Authorization")).isNull();
    assertThat(Receiver.formFields(request.body().toString())).containsExactlyInAnyOrderEntriesOf(Map.of(
        "grant_type", "client_credentials", "scope", "callbacks:write", "client_id", "engine-client",
        "client_secret", SECRET));
    assertThat(OperationsIT.metric(engine, "callback_auth_token_requests_total\\{result=\"ok\"}")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aTokenIsFetchedAgainOnceItsLifetimeIsOver() {
    tokens.answering(n -> token("short-" + n, "2"));
    profile("Short lived", oauth2());

    publish(1);
    callbacks(1);
    Instant expires = tokenRequests().get(0).at().plusSeconds(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expires));
    publish(2);
    List<Arrival> arrivals = callbacks(2);

    assertThat(tokenRequests()).hasSize(2);
    assertThat(arrivals.get(0).header("Authorization")).isEqualTo(issued("short-", tokenRequests().get(0)));
    assertThat(arrivals.get(1).header("Authorization")).isEqualTo(issued("short-", tokenRequests().get(1)));
  }

  @Test
  void aReceiverRefusingTheTokenOnceCostsExactlyOneRefreshWithinTheSameAttempt() {
    receiver.answering(n -> ours(receiver).size() == 1 ? Answer.status(401, "token revoked") : Answer.status(200, "ok"));
    profile("Refused once", oauth2());

    publish(1);
    List<Arrival> arrivals = callbacks(2);

    assertThat(arrivals.get(0).header("Authorization")).isEqualTo(issued("token-", tokenRequests().get(0)));
    assertThat(arrivals.get(1).header("Authorization")).isEqualTo(issued("token-", tokenRequests().get(1)));
    assertThat(arrivals.get(1).header("webhook-id")).isEqualTo(arrivals.get(0).header("webhook-id"));
    JsonObject delivery = engine.awaitDelivery(account, arrivals.get(0).header("webhook-id"), "delivered", WITHIN);
    assertThat(delivery.getJsonArray("attempts")).hasSize(1);
    assertThat(delivery.getJsonArray("attempts").getJsonObject(0).getInteger("http_status")).isEqualTo(200);
    assertThat(tokenRequests()).hasSize(2);
  }

  @Test
  void aSecond401EndsTheAttemptAsAFailure() {
    receiver.answering(n -> Answer.status(401, "no"));
    profile("Always refused", oauth2());

    publish(1);
    List<Arrival> arrivals = callbacks(2);
    JsonObject attempt = firstAttempt(arrivals.get(0).header("webhook-id"));

    assertThat(attempt.getInteger("http_status")).isEqualTo(401);
    assertThat(attempt.getString("error")).isEqualTo("HTTP 401");
  }

  /**
   * The test engine's lease is 5 s, so an attempt may take 4 s: a slow token (1 s) and a slow 401 (1.9 s) leave too
   * little for a second token request and callback. Whatever the machine's speed makes of the details, the attempt
   * ends within its budget with one callback sent, never outliving its lease.
   */
  @Test
  void anAttemptNeverOutlivesItsLeaseWhateverTheTokenServerAndReceiverTake() {
    tokens.answering(n -> new Answer(200, Map.of("Content-Type", "application/json"),
        new JsonObject().put("access_token", "slow-" + n).put("expires_in", 3599).encode(), false, 0, 1000));
    receiver.answering(n -> new Answer(401, Map.of(), "no", false, 0, 1900));
    profile("Slow everything", oauth2());

    publish(1);
    String deliveryId = callbacks(1).get(0).header("webhook-id");
    JsonObject attempt = firstAttempt(deliveryId);

    assertThat(attempt.getInteger("duration_ms")).as("attempt %s", attempt).isLessThan(4500);
    Instant attemptEnd = Instant.parse(attempt.getString("started_at")).plusMillis(attempt.getInteger("duration_ms"));
    assertThat(ours(receiver).stream().filter(a -> a.header("webhook-id").equals(deliveryId)
        && !a.at().isAfter(attemptEnd))).as("callbacks sent within the attempt").hasSize(1);
    receiver.answering(n -> Answer.status(200, "ok"));
  }

  @Test
  void aTokenServerFailureIsAnAuthErrorRetriedOnTheSchedule() {
    tokens.answering(n -> tokenRequests().size() <= 2 ? Answer.status(500, "down") : token("late", "3599"));
    profile("Token server down", oauth2());

    publish(1);
    Arrival arrival = callbacks(1).get(0);
    JsonObject delivery = engine.awaitDelivery(account, arrival.header("webhook-id"), "delivered", WITHIN);

    assertThat(arrival.header("Authorization")).isEqualTo("Bearer late");
    JsonArray attempts = delivery.getJsonArray("attempts");
    assertThat(attempts).hasSize(3);
    for (int i = 0; i < 2; i++) {
      assertThat(attempts.getJsonObject(i).getString("error")).isEqualTo("auth: token endpoint answered HTTP 500");
      assertThat(attempts.getJsonObject(i).getValue("http_status")).isNull();
    }
    assertThat(attempts.getJsonObject(2).getInteger("http_status")).isEqualTo(200);
    assertThat(OperationsIT.metric(engine, "callback_auth_token_requests_total\\{result=\"failed\"}"))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void everyWayATokenAnswerCanBeWrongIsNamed() {
    Map<String, Answer> answers = Map.of(
        "auth: token answer is not a JSON object", Answer.status(200, "<html>login</html>"),
        "auth: no token (a non-empty string) at 'access_token' in the token answer",
        Answer.status(200, new JsonObject().put("token", "x").encode()),
        "auth: the token answer says the token has expired ('expires_in' is 0)",
        Answer.status(200, new JsonObject().put("access_token", "x").put("expires_in", "0").encode()),
        "auth: token endpoint answered HTTP 302 (a redirect, not followed)",
        Answer.withHeaders(302, Map.of("Location", receiver.url(path + "/elsewhere"))));
    for (Map.Entry<String, Answer> expected : answers.entrySet()) {
      tokens.answering(n -> expected.getValue());
      path = "/t" + System.nanoTime();
      profile("Wrong " + Math.abs(expected.getKey().hashCode()), oauth2());

      String eventId = publish(1);

      JsonObject attempt = firstAttemptOfEvent(eventId);
      assertThat(attempt.getString("error")).isEqualTo(expected.getKey());
      assertThat(attempt.getValue("http_status")).isNull();
      assertThat(ours(receiver)).as("no callback without a token, nor a followed redirect").isEmpty();
      engine.request(HttpMethod.DELETE, "/v1/" + account.sid() + "/callback/profiles/"
          + attempt.getString("profile_id")).apiKey(account.apiKey()).send();
    }
  }

  @Test
  void aTokenUrlAtABlockedAddressIsRefusedAtRegistrationAndAtConnectTime() {
    Reply literal = engine.request(HttpMethod.POST, "/v1/" + account.sid() + "/callback/profiles")
        .apiKey(account.apiKey()).json(new JsonObject().put("title", "Metadata").put("http_method", "POST")
            .put("url", receiver.url(path + "/cb")).put("body", new JsonObject())
            .put("auth", oauth2().put("token_url", "http://169.254.169.254/latest/meta-data/")));
    assertThat(literal.status()).isEqualTo(400);
    assertThat(literal.body().getString("message")).startsWith("body/auth/token_url must not point to a blocked address");

    profile("Resolves inward", oauth2().put("token_url", "http://blocked.test:" + tokens.port() + path + "/oauth/token"));
    String eventId = publish(1);

    JsonObject attempt = firstAttemptOfEvent(eventId);
    assertThat(attempt.getString("error")).isEqualTo("auth: token request failed: blocked address: private address");
    assertThat(tokenRequests()).isEmpty();
    assertThat(ours(receiver)).isEmpty();
  }

  @Test
  void credentialsInTheHeaderAndAGetTokenRequest() {
    profile("Header credentials", oauth2().put("method", "GET").put("credentials", "header")
        .put("client_id", "id with:colon").put("token_path", "data.jwt").put("expires_path", "data.ttl")
        .put("headers", new JsonObject().put("X-Tenant", "acme")));
    tokens.answering(n -> Answer.status(200, new JsonObject().put("data", new JsonObject().put("jwt", "nested-" + n)
        .put("ttl", 3599)).encode()));

    publish(1);
    Arrival callback = callbacks(1).get(0);

    assertThat(callback.header("Authorization")).isEqualTo(issued("nested-", tokenRequests().get(0)));
    Arrival request = tokenRequests().get(0);
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.uri()).isEqualTo(path + "/oauth/token?grant_type=client_credentials&scope=callbacks%3Awrite");
    assertThat(request.header("X-Tenant")).isEqualTo("acme");
    assertThat(new String(Base64.getDecoder().decode(request.header("Authorization").substring("Basic ".length())),
        StandardCharsets.UTF_8)).isEqualTo("id+with%3Acolon:" + SECRET);
  }

  @Test
  void changingAuthDropsTheCachedTokenAtOnce() {
    JsonObject created = profile("Changed", oauth2());
    publish(1);
    callbacks(1);

    Reply patched = engine.request(HttpMethod.PATCH, "/v1/" + account.sid() + "/callback/profiles/"
        + created.getString("profile_id")).apiKey(account.apiKey())
        .json(new JsonObject().put("auth", oauth2().put("client_id", "another-client").put("client_secret", "********")));
    assertThat(patched.status()).isEqualTo(200);
    publish(2);
    List<Arrival> arrivals = callbacks(2);

    assertThat(tokenRequests()).hasSize(2);
    assertThat(Receiver.formFields(tokenRequests().get(1).body().toString())).containsEntry("client_id", "another-client")
        .containsEntry("client_secret", SECRET);
    assertThat(arrivals.get(1).header("Authorization")).isEqualTo(issued("token-", tokenRequests().get(1)));
  }

  @Test
  void basicAuthReachesTheReceiverAndThePasswordNothingElse() {
    String password = "basic-pa55word-never-shown";
    JsonObject created = profile("Basic", new JsonObject().put("type", "basic").put("username", "engine")
        .put("password", password));
    receiver.answering(n -> ours(receiver).size() == 1 ? Answer.status(500, "echo: nothing") : Answer.status(200, "ok"));

    publish(1);
    List<Arrival> arrivals = callbacks(2);

    String expected = "Basic " + Base64.getEncoder().encodeToString(("engine:" + password).getBytes(StandardCharsets.UTF_8));
    assertThat(arrivals).allSatisfy(a -> assertThat(a.header("Authorization")).isEqualTo(expected));
    assertThat(created.getJsonObject("auth")).isEqualTo(new JsonObject().put("type", "basic").put("username", "engine")
        .put("password", "********"));
    String profilePath = "/v1/" + account.sid() + "/callback/profiles/" + created.getString("profile_id");
    JsonObject delivery = engine.awaitDelivery(account, arrivals.get(0).header("webhook-id"), "delivered", WITHIN);
    List<String> everythingShown = List.of(
        engine.request(HttpMethod.GET, profilePath).apiKey(account.apiKey()).send().raw().toString(),
        engine.request(HttpMethod.GET, "/v1/" + account.sid() + "/callback/profiles").apiKey(account.apiKey()).send()
            .raw().toString(),
        engine.request(HttpMethod.GET, profilePath + "/deliveries").apiKey(account.apiKey()).send().raw().toString(),
        delivery.encode(),
        engine.request(HttpMethod.GET, "/metrics").send().raw().toString());
    assertThat(everythingShown).allSatisfy(text -> assertThat(text).doesNotContain(password, SECRET));
    assertThat(TestEngine.sqlIn(engine.schema, "select coalesce(auth, '') || coalesce(encode(auth_secret, 'escape'), '') from profiles"))
        .allSatisfy(row -> assertThat(row).doesNotContain(password, SECRET));
    assertThat(logs.list).isNotEmpty().allSatisfy(event -> assertThat(event.getFormattedMessage()
        + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
        .doesNotContain(password, SECRET));
  }

  private JsonObject firstAttempt(String deliveryId) {
    await().atMost(WITHIN).until(() -> !engine.delivery(account, deliveryId).getJsonArray("attempts").isEmpty());
    return engine.delivery(account, deliveryId).getJsonArray("attempts").getJsonObject(0);
  }

  /** The first attempt of the one delivery of {@code eventId}, with the delivery's profile id added. */
  private JsonObject firstAttemptOfEvent(String eventId) {
    String[] deliveryId = new String[1];
    await().atMost(WITHIN).until(() -> {
      List<String> ids = TestEngine.sqlIn(engine.schema,
          "select delivery_id from deliveries where event_id = '" + eventId + "'");
      deliveryId[0] = ids.isEmpty() ? null : ids.get(0);
      return deliveryId[0] != null;
    });
    JsonObject attempt = firstAttempt(deliveryId[0]);
    return attempt.put("profile_id", engine.delivery(account, deliveryId[0]).getString("profile_id"));
  }
}
