package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, item 7: a slow-loris receiver (it takes the callback, then answers a byte at a time) is cut at the
 * request timeout and logged as such, holds no more than its profile's share of connections, and meanwhile the
 * engine, a real process with a 256 MiB heap, stays ready and keeps delivering a healthy profile's callbacks.
 */
class SlowReceiverIT {

  private static final int REQUEST_TIMEOUT_MS = 3000;
  private static final int PER_PROFILE = 16;
  /** Each slow profile gets more callbacks than its cap, so some wait their turn. */
  private static final int SLOW_EVENTS = 20;
  private static final long RSS_BOUND_KIB = 512 * 1024;
  private static final System.Logger LOG = System.getLogger(SlowReceiverIT.class.getName());

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = ContractCheck.shared()
      .watch(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")));
  private int port;

  @Test
  void aTricklingReceiverIsCutAtTheRequestTimeoutWhileTheEngineKeepsDelivering() throws Exception {
    String schema = TestEngine.freshSchema(SlowReceiverIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_DISPATCH_REQUEST_TIMEOUT", REQUEST_TIMEOUT_MS + "ms");
    env.put("CALLBACK_DISPATCH_LEASE", "10s");
    env.put("CALLBACK_DISPATCH_PER_PROFILE_IN_FLIGHT", Integer.toString(PER_PROFILE));
    env.put("CALLBACK_RETRY_SCHEDULE", "");
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    AtomicLong mostRss = new AtomicLong();
    try (TricklingReceiver loris = new TricklingReceiver(); Receiver healthy = Receiver.start();
         EngineProcess engine = EngineProcess.start(env, "slow-receiver")) {
      port = engine.port;
      sampler.scheduleAtFixedRate(() -> mostRss.accumulateAndGet(engine.rssKiB(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
      JsonObject account = post("/admin/accounts", null, new JsonObject().put("name", "Slow loris"));
      String sid = account.getString("sid");
      String key = account.getString("api_key");
      String head = profile(sid, key, "Trickled head", loris.url(TricklingReceiver.HEAD), "loris");
      String body = profile(sid, key, "Trickled body", loris.url(TricklingReceiver.BODY), "loris");
      profile(sid, key, "Healthy", healthy.url("/ok"), "SMS-sent");

      JsonArray slow = new JsonArray();
      for (int i = 0; i < SLOW_EVENTS; i++) {
        slow.add(new JsonObject().put("event", "loris"));
      }
      post("/v1/" + sid + "/callback/events", key, slow);
      await().atMost(Duration.ofSeconds(5)).until(() -> loris.requests(TricklingReceiver.HEAD) == PER_PROFILE
          && loris.requests(TricklingReceiver.BODY) == PER_PROFILE);

      long probeStarted = System.nanoTime();
      HttpResponse<Buffer> ready = TestEngine.await(client.get(port, "127.0.0.1", "/health/ready").send());
      long probeMs = (System.nanoTime() - probeStarted) / 1_000_000;
      JsonArray ten = new JsonArray();
      for (int i = 0; i < 10; i++) {
        ten.add(new JsonObject().put("event", "SMS-sent"));
      }
      long publishedAt = System.nanoTime();
      post("/v1/" + sid + "/callback/events", key, ten);
      healthy.awaitArrivals(10, Duration.ofSeconds(10));
      long healthyMs = (System.nanoTime() - publishedAt) / 1_000_000;
      int stillTrickling = loris.requests(TricklingReceiver.HEAD);

      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(probeMs).as("readiness probe while 32 callbacks trickle, ms").isLessThan(1000);
      assertThat(stillTrickling).as("healthy callbacks arrived before the slow ones were cut").isEqualTo(PER_PROFILE);
      assertThat(healthyMs).as("ms from publish to the 10th healthy arrival").isLessThan(REQUEST_TIMEOUT_MS);

      List<JsonObject> heads = finished(sid, key, head);
      List<JsonObject> bodies = finished(sid, key, body);
      LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "slow loris: readiness %d ms and 10 healthy "
          + "callbacks in %d ms while 32 trickled; head %s; body %s; most connections open %d/%d; peak RSS %d MiB",
          probeMs, healthyMs, heads.get(0).getJsonArray("attempts").getJsonObject(0),
          bodies.get(0).getJsonArray("attempts").getJsonObject(0), loris.mostOpen(TricklingReceiver.HEAD),
          loris.mostOpen(TricklingReceiver.BODY), mostRss.get() / 1024));
      for (JsonObject attempt : onlyAttempts(heads)) {
        assertThat(attempt.getValue("http_status")).isNull();
      }
      for (JsonObject attempt : onlyAttempts(bodies)) {
        assertThat(attempt.getInteger("http_status")).as("the status line came at once").isEqualTo(200);
        assertThat(attempt.getString("response_excerpt")).as("the body read until the cut").matches("\\.+");
      }
      assertThat(loris.requests(TricklingReceiver.HEAD)).isEqualTo(SLOW_EVENTS);
      assertThat(loris.requests(TricklingReceiver.BODY)).isEqualTo(SLOW_EVENTS);
      assertThat(loris.mostOpen(TricklingReceiver.HEAD)).isLessThanOrEqualTo(PER_PROFILE);
      assertThat(loris.mostOpen(TricklingReceiver.BODY)).isLessThanOrEqualTo(PER_PROFILE);
      assertThat(engine.alive()).isTrue();
      assertThat(mostRss.get()).as("peak RSS, KiB").isLessThan(RSS_BOUND_KIB);
    } finally {
      sampler.shutdownNow();
      TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
      TestEngine.await(vertx.close());
    }
  }

  /** The single attempt of each delivery, checked to be a failure cut at the request timeout. */
  private static List<JsonObject> onlyAttempts(List<JsonObject> deliveries) {
    assertThat(deliveries).hasSize(SLOW_EVENTS);
    List<JsonObject> attempts = new ArrayList<>();
    for (JsonObject delivery : deliveries) {
      assertThat(delivery.getString("status")).isEqualTo("failed");
      assertThat(delivery.getJsonArray("attempts")).hasSize(1);
      JsonObject attempt = delivery.getJsonArray("attempts").getJsonObject(0);
      assertThat(attempt.getString("error")).isEqualTo("timeout: no complete answer within " + REQUEST_TIMEOUT_MS + " ms");
      assertThat(attempt.getInteger("duration_ms")).isBetween(REQUEST_TIMEOUT_MS - 100, REQUEST_TIMEOUT_MS + 2000);
      attempts.add(attempt);
    }
    return attempts;
  }

  /** Waits until no delivery of the profile is waiting or under way; answers each with its attempts. */
  private List<JsonObject> finished(String sid, String key, String profileId) {
    List<JsonObject> deliveries = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
      JsonObject page = get("/v1/" + sid + "/callback/profiles/" + profileId + "/deliveries?limit=100", key);
      return page.getLong("total") == SLOW_EVENTS && page.getJsonArray("deliveries").stream()
          .map(JsonObject.class::cast).noneMatch(d -> List.of("pending", "delivering").contains(d.getString("status")));
    });
    get("/v1/" + sid + "/callback/profiles/" + profileId + "/deliveries?limit=100", key).getJsonArray("deliveries")
        .forEach(d -> deliveries.add(get("/v1/" + sid + "/callback/deliveries/" + ((JsonObject) d).getString("delivery_id"), key)));
    return deliveries;
  }

  private String profile(String sid, String key, String title, String url, String event) {
    return post("/v1/" + sid + "/callback/profiles", key, ProfileApiIT.minimal(title).put("url", url)
        .put("channel", "sms").put("events", event)).getString("profile_id");
  }

  /** POSTs JSON with the api key (or, without one, the admin token); answers the reply's data. */
  private JsonObject post(String path, String apiKey, Object json) {
    var request = client.post(port, "127.0.0.1", path);
    if (apiKey == null) {
      request.putHeader("authorization", "Bearer " + TestEngine.ADMIN_TOKEN);
    } else {
      request.putHeader("api-key", apiKey);
    }
    HttpResponse<Buffer> reply = TestEngine.await(request.sendJson(json));
    assertThat(reply.statusCode()).as(reply.bodyAsString()).isBetween(200, 299);
    JsonObject data = reply.bodyAsJsonObject().getJsonObject("data");
    return data;
  }

  private JsonObject get(String path, String apiKey) {
    HttpResponse<Buffer> reply = TestEngine.await(client.get(port, "127.0.0.1", path).putHeader("api-key", apiKey).send());
    assertThat(reply.statusCode()).as(reply.bodyAsString()).isEqualTo(200);
    return reply.bodyAsJsonObject().getJsonObject("data");
  }
}
