package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, item 7: 100 publishers, each on its own connection, publish as fast as the engine answers for 10 s (half
 * one event per request, half batches) against a real engine process with a 256 MiB heap and its default pool and
 * event loops. Every answer must be a 202 (no 5xx, no 503 for a full pool queue), every acknowledged event must be in
 * the database and be delivered, a readiness probe must keep answering 200 within 2 s (health checks have a pool of
 * their own: sharing the API's, readiness answered 503 "database DOWN" during floods while every publish succeeded),
 * and RSS must stay under 512 MiB.
 */
class PublisherFloodIT {

  private static final int PUBLISHERS = 100;
  private static final int BATCH = 5;
  private static final Duration FLOOD = Duration.ofSeconds(10);
  private static final long PROBE_BOUND_MS = 2000;
  private static final long RSS_BOUND_KIB = 512 * 1024;
  private static final System.Logger LOG = System.getLogger(PublisherFloodIT.class.getName());

  private final Vertx vertx = Vertx.vertx();
  /** Runs the receiver and the readiness probe, apart from the publishers' load on this JVM. */
  private final Vertx observer = Vertx.vertx();
  private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
  private final AtomicLong transportErrors = new AtomicLong();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final Set<String> arrived = ConcurrentHashMap.newKeySet();

  @Test
  void hundredPublishersGetOnly202sAndEveryAcknowledgedEventIsStoredAndDelivered() throws Exception {
    String schema = TestEngine.freshSchema(PublisherFloodIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.remove("CALLBACK_DATABASE_POOL_SIZE");
    env.remove("CALLBACK_HTTP_INSTANCES");
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    AtomicLong mostRss = new AtomicLong();
    HttpServer receiver = TestEngine.await(observer.createHttpServer().requestHandler(request -> {
      arrived.add(request.getHeader("webhook-id"));
      request.response().end();
    }).listen(0, "127.0.0.1"));
    try (EngineProcess engine = EngineProcess.start(env, "publisher-flood")) {
      sampler.scheduleAtFixedRate(() -> mostRss.accumulateAndGet(engine.rssKiB(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
      WebClient setup = ContractCheck.shared().watch(WebClient.create(vertx, new WebClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(engine.port)));
      JsonObject account = TestEngine.await(setup.post("/admin/accounts").putHeader("authorization", "Bearer "
          + TestEngine.ADMIN_TOKEN).sendJsonObject(new JsonObject().put("name", "Flood"))).bodyAsJsonObject().getJsonObject("data");
      String events = "/v1/" + account.getString("sid") + "/callback/events";
      String key = account.getString("api_key");
      assertThat(TestEngine.await(setup.post("/v1/" + account.getString("sid") + "/callback/profiles").putHeader("api-key", key)
          .sendJsonObject(ProfileApiIT.minimal("Flooded").put("url", "http://127.0.0.1:" + receiver.actualPort() + "/f")
              .put("channel", "sms").put("events", "flood"))).statusCode()).isEqualTo(201);

      // Not held to openapi.yaml (ContractCheck): checking every reply would take the flood's own CPU on two cores.
      WebClient publishers = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(engine.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(PUBLISHERS));
      long deadline = System.nanoTime() + FLOOD.toNanos();
      List<Future<Void>> lanes = new ArrayList<>();
      for (int lane = 0; lane < PUBLISHERS; lane++) {
        lanes.add(publishUntil(publishers, events, key, lane % 2 == 0 ? 1 : BATCH, deadline));
      }
      Future<List<Probe>> probing = probeReadiness(engine.port, deadline);
      TestEngine.await(Future.all(lanes));
      List<Probe> probes = TestEngine.await(probing);
      long floodRss = mostRss.get();
      long arrivedDuringFlood = arrived.size();

      long deliveries = acknowledged.size();
      long drainStarted = System.nanoTime();
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> arrived.size() >= deliveries);
      long drainMs = (System.nanoTime() - drainStarted) / 1_000_000;
      Set<String> stored = new HashSet<>(TestEngine.sqlIn(schema, "select event_id from events"));
      List<String> notDelivered = TestEngine.sqlIn(schema, "select delivery_id from deliveries where status <> 'delivered'");
      long maxProbe = probes.stream().mapToLong(Probe::millis).max().orElse(-1);
      List<Probe> notReady = probes.stream().filter(probe -> probe.status() != 200).toList();
      LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "flood: %d publishers for %d s: statuses %s, %d "
          + "transport errors, %d events acknowledged (%.0f/s), %d delivered during the flood, the rest %d ms after it; "
          + "readiness probes %d, slowest %d ms, not 200: %s; peak RSS %d MiB during the flood, %d MiB in all", PUBLISHERS,
          FLOOD.toSeconds(), new TreeMap<>(statuses), transportErrors.get(), deliveries,
          deliveries / (double) FLOOD.toSeconds(), arrivedDuringFlood, drainMs, probes.size(), maxProbe, notReady,
          floodRss / 1024, mostRss.get() / 1024));

      assertThat(statuses.keySet()).as("every status answered: %s", statuses).containsOnly(202);
      assertThat(transportErrors.get()).isZero();
      // Set arithmetic, not AssertJ's containsAll: that compares element by element, minutes for 80,000 ids.
      Set<String> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored);
      assertThat(lost).as("acknowledged but not stored").isEmpty();
      assertThat(stored).hasSameSizeAs(acknowledged);
      assertThat(notDelivered).isEmpty();
      assertThat(probes).as("readiness probes").hasSizeGreaterThanOrEqualTo(10).allMatch(Probe::answered);
      assertThat(engine.alive()).isTrue();
      assertThat(mostRss.get()).as("peak RSS, KiB").isLessThan(RSS_BOUND_KIB);
    } finally {
      sampler.shutdownNow();
      TestEngine.sqlIn(schema, "drop schema if exists " + schema + " cascade");
      TestEngine.await(vertx.close());
      TestEngine.await(observer.close());
    }
  }

  /**
   * One readiness probe's answer: its status (0 when none came within 10 s), how long it took, and its database
   * check.
   */
  private record Probe(int status, long millis, String database) {
    /** Ready, and said so quickly: health checks have a pool of their own, so a flood cannot make them wait. */
    boolean answered() {
      return millis < PROBE_BOUND_MS && status == 200;
    }
  }

  /** One publisher: request after request, {@code batch} events each, until the deadline; counts every answer. */
  private Future<Void> publishUntil(WebClient client, String path, String key, int batch, long deadline) {
    if (System.nanoTime() >= deadline) {
      return Future.succeededFuture();
    }
    JsonArray events = new JsonArray();
    for (int i = 0; i < batch; i++) {
      events.add(new JsonObject().put("event", "flood").put("data", new JsonObject().put("i", i)));
    }
    Future<HttpResponse<Buffer>> sent = client.post(path).putHeader("api-key", key)
        .sendJson(batch == 1 ? events.getJsonObject(0) : events);
    return sent.transform(reply -> {
      if (reply.failed()) {
        transportErrors.incrementAndGet();
      } else {
        statuses.computeIfAbsent(reply.result().statusCode(), s -> new AtomicLong()).incrementAndGet();
        if (reply.result().statusCode() == 202) {
          reply.result().bodyAsJsonObject().getJsonObject("data").getJsonArray("events")
              .forEach(e -> acknowledged.add(((JsonObject) e).getString("event_id")));
        }
      }
      return publishUntil(client, path, key, batch, deadline);
    });
  }

  /**
   * Asks {@code /health/ready} every 500 ms until the deadline, from the observer Vert.x (so the publishers' load on
   * this JVM does not delay it); completes with every probe's answer.
   */
  private Future<List<Probe>> probeReadiness(int port, long deadline) {
    WebClient probe = ContractCheck.shared().watch(WebClient.create(observer, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(port)));
    List<Future<Probe>> probes = new ArrayList<>();
    io.vertx.core.Promise<List<Probe>> done = io.vertx.core.Promise.promise();
    observer.setPeriodic(1, 500, timer -> {
      if (System.nanoTime() >= deadline) {
        observer.cancelTimer(timer);
        Future.join(probes).onComplete(all -> done.complete(probes.stream().map(Future::result).toList()));
        return;
      }
      long started = System.nanoTime();
      probes.add(probe.get("/health/ready").timeout(10_000).send()
          .map(reply -> new Probe(reply.statusCode(), (System.nanoTime() - started) / 1_000_000,
              reply.bodyAsJsonObject().getJsonObject("checks").getString("database")))
          .otherwise(error -> new Probe(0, (System.nanoTime() - started) / 1_000_000, null)));
    });
    return done.future();
  }
}
