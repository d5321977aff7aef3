package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A burst through a running engine: publishes {@code --events} events in batches over HTTP, as fast as
 * {@code --concurrency} requests in flight allow, to one profile whose URL is a local receiver, and reports the
 * intake rate and the durable end-to-end delivery rate (first publish to last arrival), with a balance check.
 *
 * <pre>
 *   java -jar modules/bench/target/callback-engine-bench.jar --engine http://127.0.0.1:8080 --admin-token T \
 *        [--events 20000] [--batch 100] [--concurrency 8]
 * </pre>
 * The engine must allow the receiver's address: start it with {@code CALLBACK_ALLOWED_CIDRS=127.0.0.1/32}.
 */
public final class DeliveryThroughput {

  private DeliveryThroughput() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new ConcurrentHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    URI engine = URI.create(options.getOrDefault("engine", "http://127.0.0.1:8080"));
    String adminToken = options.getOrDefault("admin-token", "change-me");
    int events = Integer.parseInt(options.getOrDefault("events", "20000"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "100"));
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));

    Vertx vertx = Vertx.vertx();
    Map<String, Integer> arrivals = new ConcurrentHashMap<>();
    AtomicLong lastArrival = new AtomicLong();
    HttpServer receiver = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      arrivals.merge(request.getHeader("webhook-id"), 1, Integer::sum);
      lastArrival.set(System.nanoTime());
      request.response().end();
    })).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost(engine.getHost())
        .setDefaultPort(engine.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(concurrency));

    JsonObject account = await(client.post("/admin/accounts").putHeader("authorization", "Bearer " + adminToken)
        .sendJsonObject(new JsonObject().put("name", "bench"))).bodyAsJsonObject().getJsonObject("data");
    if (account == null) {
      throw new IllegalStateException("could not create an account: is the admin token right?");
    }
    String sid = account.getString("sid");
    String key = account.getString("api_key");
    JsonObject profile = await(client.post("/v1/" + sid + "/callback/profiles").putHeader("api-key", key)
        .sendJsonObject(new JsonObject().put("title", "bench " + System.nanoTime()).put("http_method", "POST")
            .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/bench").put("channel", "sms")
            .put("events", "SMS-sent").put("body", new JsonObject().put("status", "<status>").put("n", "<n>"))))
        .bodyAsJsonObject();
    if (profile.getInteger("status") != 201) {
      throw new IllegalStateException("could not create the profile: " + profile.encode());
    }

    AtomicInteger nextBatch = new AtomicInteger();
    AtomicInteger acknowledged = new AtomicInteger();
    int batches = (events + batch - 1) / batch;
    long started = System.nanoTime();
    Future<?>[] lanes = new Future<?>[concurrency];
    for (int lane = 0; lane < concurrency; lane++) {
      lanes[lane] = publishLoop(client, sid, key, nextBatch, batches, batch, events, acknowledged);
    }
    await(Future.all(java.util.List.of(lanes)));
    long published = System.nanoTime();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (arrivals.size() < acknowledged.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    int delivered = arrivals.size();
    int duplicates = arrivals.values().stream().mapToInt(n -> n - 1).sum();
    double publishSeconds = (published - started) / 1e9;
    double endToEndSeconds = (lastArrival.get() - started) / 1e9;
    System.out.printf("events published:      %d in %.2f s = %.0f events/s (batches of %d, %d in flight)%n",
        acknowledged.get(), publishSeconds, acknowledged.get() / publishSeconds, batch, concurrency);
    System.out.printf("deliveries received:   %d in %.2f s = %.0f deliveries/s end to end%n",
        delivered, endToEndSeconds, delivered / endToEndSeconds);
    System.out.printf("balance:               published %d = delivered %d + missing %d; duplicates %d%s%n",
        acknowledged.get(), delivered, acknowledged.get() - delivered, duplicates,
        acknowledged.get() == delivered ? "" : "  (VOID: not balanced)");
    vertx.close();
  }

  private static Future<Void> publishLoop(WebClient client, String sid, String key, AtomicInteger nextBatch,
      int batches, int batch, int events, AtomicInteger acknowledged) {
    int index = nextBatch.getAndIncrement();
    if (index >= batches) {
      return Future.succeededFuture();
    }
    JsonArray body = new JsonArray();
    for (int i = index * batch; i < Math.min(events, (index + 1) * batch); i++) {
      body.add(new JsonObject().put("event", "SMS-sent").put("data", new JsonObject().put("status", "DELIVRD").put("n", i)));
    }
    return client.post("/v1/" + sid + "/callback/events").putHeader("api-key", key).sendJson(body)
        .compose(reply -> {
          if (reply.statusCode() != 202) {
            return Future.failedFuture("publish answered " + reply.statusCode() + ": " + reply.bodyAsString());
          }
          acknowledged.addAndGet(body.size());
          return publishLoop(client, sid, key, nextBatch, batches, batch, events, acknowledged);
        });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
