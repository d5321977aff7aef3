package io.callbackengine.app;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes {@code SMS-sent} events over HTTP at a fixed rate, open-loop: each tick sends what the schedule says is
 * due since the start, whether or not earlier requests have answered, so a down or slow engine cannot slow the
 * producer down. Requests are single events or batches of 2–5, drawn from a seeded random. Every answer goes to the
 * {@link CrashLoopHistory}, with the engine generation the request was aimed at.
 */
final class OpenLoopPublisher {

  /** The engine process requests go to: its generation (0 for the first) and port. */
  record Target(int generation, int port) {
  }

  private static final long TICK_MS = 25;
  private static final long REQUEST_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final WebClient client;
  private final String path;
  private final String apiKey;
  private final int perSecond;
  private final Random random;
  private final CrashLoopHistory history;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Replies that broke openapi.yaml; their requests count as failed in the history, so the test asserts on these. */
  private final List<AssertionError> drifts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Target target;
  private long timer = -1;
  private long startedNanos;
  private long scheduled;
  private long sequence;

  OpenLoopPublisher(Vertx vertx, String sid, String apiKey, int perSecond, Random random, CrashLoopHistory history) {
    this.vertx = vertx;
    this.client = ContractCheck.shared().watch(WebClient.create(vertx, new WebClientOptions().setConnectTimeout(1000)
        .setFollowRedirects(false), new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(-1)), drifts);
    this.path = "/v1/" + sid + "/callback/events";
    this.apiKey = apiKey;
    this.perSecond = perSecond;
    this.random = random;
    this.history = history;
  }

  /** Aims the following requests at another engine process. */
  void aim(Target next) {
    this.target = next;
  }

  void start() {
    startedNanos = System.nanoTime();
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
  }

  /** Stops sending; requests already sent still complete (see {@link #inFlight()}). */
  void stop() {
    vertx.cancelTimer(timer);
  }

  List<AssertionError> drifts() {
    return List.copyOf(drifts);
  }

  int inFlight() {
    return inFlight.get();
  }

  private void tick() {
    long due = (System.nanoTime() - startedNanos) / 1_000_000 * perSecond / 1000 - scheduled;
    while (due > 0) {
      int size = (int) Math.min(due, random.nextBoolean() ? 1 : 2 + random.nextInt(4));
      send(size);
      due -= size;
      scheduled += size;
    }
  }

  private void send(int size) {
    Target aimed = target;
    JsonArray events = new JsonArray();
    for (int i = 0; i < size; i++) {
      events.add(new JsonObject().put("event", "SMS-sent").put("channel", "sms")
          .put("data", new JsonObject().put("n", sequence++)));
    }
    Object body = size == 1 ? events.getJsonObject(0) : events;
    history.sent(size);
    inFlight.incrementAndGet();
    client.post(aimed.port(), "127.0.0.1", path).putHeader("api-key", apiKey).timeout(REQUEST_TIMEOUT_MS)
        .sendJson(body)
        .onComplete(done -> {
          inFlight.decrementAndGet();
          if (done.succeeded()) {
            history.answered(done.result().statusCode(), eventIds(done.result()));
          } else {
            history.failed(aimed.generation(), done.cause());
          }
        });
  }

  private static List<String> eventIds(HttpResponse<Buffer> response) {
    List<String> ids = new ArrayList<>();
    if (response.statusCode() == 202) {
      response.bodyAsJsonObject().getJsonObject("data").getJsonArray("events")
          .forEach(e -> ids.add(((JsonObject) e).getString("event_id")));
    }
    return ids;
  }
}
