package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end benchmark: starts the packaged engine as its own process against the local PostgreSQL, a recording
 * receiver, and measures, in one run: the raw HTTP round-trip limit to that receiver (same client library, no
 * engine), intake events/s (one per request and batches of 100), {@code GET profile} requests/s, publish→delivery
 * latency at 1,000 events/s (open loop), the highest sustained durable delivery rate, a healthy profile's latency
 * alone and beside a hanging one ({@link FairnessScenario}), and the engine's RSS and heap.
 * Every delivery phase checks its balance: published = delivered + missing, or the run is void.
 *
 * <pre>
 *   java -jar modules/bench/target/callback-engine-bench.jar [--duration 60s] [--rates 4000,6000,7000] [--quick]
 * </pre>
 */
public final class Benchmark {

  private static final System.Logger LOG = System.getLogger(Benchmark.class.getName());
  private static final int PROFILES = 4;
  private static final int ENGINE_CONCURRENCY_PER_PROFILE = 16;
  /** Events/s of each profile in the fairness scenario. */
  private static final double FAIRNESS_RATE = 100;

  private final java.io.PrintStream out;
  private final Vertx vertx = Vertx.vertx();
  private final ArrivalRecorder receiver = new ArrivalRecorder();
  private final List<String[]> report = new ArrayList<>();
  private EngineProcess engine;
  private WebClient client;
  private Load load;
  private String sid;
  private String apiKey;
  private String firstProfile;

  private Benchmark(java.io.PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--quick")) {
        options.put("quick", "true");
      } else if (i + 1 < args.length) {
        options.put(args[i].replaceFirst("^--", ""), args[++i]);
      }
    }
    try {
      // Standard output is the report, as for a command-line tool; diagnostics go to the logger.
      new Benchmark(System.out).run(options);
    } catch (Exception e) {
      // Vert.x's threads would keep a failed run's JVM alive for ever.
      LOG.log(System.Logger.Level.ERROR, "benchmark failed", e);
      System.exit(1);
    }
    System.exit(0);
  }

  private void run(Map<String, String> options) throws Exception {
    boolean quick = options.containsKey("quick");
    Duration duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", quick ? "15" : "60").replace("s", "")));
    Duration capacityRun = Duration.ofSeconds(quick ? 5 : 10);
    List<Double> rates = new ArrayList<>();
    for (String r : options.getOrDefault("rates", quick ? "3000" : "4000,6000,7000").split(",")) {
      rates.add(Double.parseDouble(r.trim()));
    }
    String databaseUrl = options.getOrDefault("database-url", "postgresql://postgres@127.0.0.1:5432/postgres");
    await(receiver.start(vertx));
    double raw = rawLimit(capacityRun);
    print("machine", Runtime.getRuntime().availableProcessors() + " cores; engine, PostgreSQL, receiver and load on it");
    print("raw HTTP limit", String.format(Locale.ROOT, "%.0f round trips/s (Vert.x HttpClient, %d connections, no engine)",
        raw, PROFILES * ENGINE_CONCURRENCY_PER_PROFILE));
    Path log = Path.of(options.getOrDefault("engine-log", "modules/bench/target/bench-engine.log"));
    engine = EngineProcess.start(vertx, Path.of(options.getOrDefault("engine-jar", "modules/app/target/callback-engine.jar")),
        databaseUrl, options.getOrDefault("engine-heap", "384m"), log);
    vertx.setPeriodic(500, id -> engine.rssMiB());
    try {
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(engine.port)
          .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
      load = new Load(vertx, client);
      setUp();
      getProfile(capacityRun);
      intake(capacityRun);
      // Unmeasured warm-up of the delivery path (the closed loops warm the API paths the same way): measured cold, the
      // first seconds of JIT compilation dominate the percentiles.
      phase(1000, capacityRun, 1);
      latencyAt(1000, duration);
      double sustained = 0;
      for (double rate : rates) {
        if (sustainedAt(rate, duration)) {
          sustained = Math.max(sustained, rate);
        }
      }
      print("sustained durable rate", String.format(Locale.ROOT, "%.0f deliveries/s = %.0f %% of the raw limit",
          sustained, 100 * sustained / raw));
      print("fairness", await(new FairnessScenario(vertx, client, load, receiver, profiles(), events(), apiKey)
          .run(FAIRNESS_RATE, quick ? Duration.ofSeconds(5) : Duration.ofSeconds(15))));
      print("engine memory", "peak RSS " + engine.peakRssMiB() + " MiB, heap used now " + heapMiB() + " MiB (-Xmx"
          + options.getOrDefault("engine-heap", "384m") + ")");
      print("duplicates", receiver.duplicates() + " deliveries arrived more than once");
    } finally {
      engine.close();
      dropSchema(databaseUrl, engine.schema);
      vertx.close();
    }
    out.println();
    report.forEach(line -> out.printf("%-26s %s%n", line[0], line[1]));
  }

  private double rawLimit(Duration duration) throws Exception {
    HttpClient raw = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(PROFILES * ENGINE_CONCURRENCY_PER_PROFILE)).build();
    Buffer body = new JsonObject().put("t0", 0).put("n", 1).toBuffer();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(receiver.port()).setURI("/raw");
    WebClient rawClient = WebClient.wrap(raw);
    double rate = await(new Load(vertx, rawClient).closedLoop(PROFILES * ENGINE_CONCURRENCY_PER_PROFILE, duration,
        // A buffer per request: a Buffer is not thread-safe, and the lanes run on several event loops.
        () -> rawClient.request(HttpMethod.POST, request).sendBuffer(body.copy())));
    receiver.takeLatencies();
    return rate;
  }

  private void setUp() throws Exception {
    JsonObject account = await(client.post("/admin/accounts").putHeader("authorization", "Bearer " + EngineProcess.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "benchmark"))).bodyAsJsonObject().getJsonObject("data");
    sid = account.getString("sid");
    apiKey = account.getString("api_key");
    for (int i = 0; i < PROFILES; i++) {
      JsonObject profile = await(client.post(profiles()).putHeader("api-key", apiKey).sendJsonObject(new JsonObject()
          .put("title", "bench " + i).put("http_method", "POST").put("url", "http://127.0.0.1:" + receiver.port() + "/p" + i)
          .put("channel", "sms").put("events", new JsonArray().add("bench-" + i))
          .put("body", new JsonObject().put("t0", "<t0>").put("n", "<n>").put("status", "<status>"))))
          .bodyAsJsonObject().getJsonObject("data");
      if (firstProfile == null) {
        firstProfile = profile.getString("profile_id");
      }
    }
    JsonObject held = await(client.post(profiles()).putHeader("api-key", apiKey).sendJsonObject(new JsonObject()
        .put("title", "bench intake").put("http_method", "POST").put("url", "http://127.0.0.1:" + receiver.port() + "/held")
        .put("channel", "sms").put("events", new JsonArray().add("bench-intake")).put("body", new JsonObject().put("n", "<n>"))))
        .bodyAsJsonObject().getJsonObject("data");
    await(client.patch(profiles() + "/" + held.getString("profile_id")).putHeader("api-key", apiKey)
        .sendJsonObject(new JsonObject().put("status", 3)));
  }

  private void getProfile(Duration duration) throws Exception {
    String path = profiles() + "/" + firstProfile;
    double rate = await(load.closedLoop(32, duration, () -> client.get(path).putHeader("api-key", apiKey).send()));
    print("GET profile", String.format(Locale.ROOT, "%.0f requests/s (32 in flight)", rate));
  }

  /** Intake alone: events for a disabled profile, so each creates a (held) delivery but nothing is sent. */
  private void intake(Duration duration) throws Exception {
    JsonObject one = new JsonObject().put("event", "bench-intake").put("data", new JsonObject().put("n", 1));
    JsonArray hundred = new JsonArray();
    for (int i = 0; i < 100; i++) {
      hundred.add(one);
    }
    double single = await(load.closedLoop(32, duration,
        () -> client.post(events()).putHeader("api-key", apiKey).sendJsonObject(one)));
    double batches = await(load.closedLoop(8, duration,
        () -> client.post(events()).putHeader("api-key", apiKey).sendJson(hundred)));
    print("intake, 1 per request", String.format(Locale.ROOT, "%.0f events/s (32 in flight)", single));
    print("intake, batches of 100", String.format(Locale.ROOT, "%.0f events/s (8 in flight)", batches * 100));
  }

  private void latencyAt(double rate, Duration duration) throws Exception {
    Phase phase = phase(rate, duration, 1);
    print("latency at " + (int) rate + " events/s", String.format(Locale.ROOT,
        "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms over %d s (of which acknowledged: p50 %.1f, p99 %.1f ms); %s",
        phase.percentile(0.50), phase.percentile(0.95), phase.percentile(0.99), duration.toSeconds(),
        phase.published().ackPercentile(0.50), phase.published().ackPercentile(0.99), phase.balance()));
  }

  private boolean sustainedAt(double rate, Duration duration) throws Exception {
    Phase phase = phase(rate, duration, Math.max(1, (int) (rate / 100)));
    boolean sustained = phase.balanced() && phase.percentile(0.99) < 1000 && phase.drainMillis < 2000;
    print("deliveries at " + (int) rate + "/s", String.format(Locale.ROOT,
        "%s: p50 %.1f ms, p99 %.1f ms, drained %d ms after the last publish; %s", sustained ? "sustained" : "NOT sustained",
        phase.percentile(0.50), phase.percentile(0.99), phase.drainMillis, phase.balance()));
    return sustained;
  }

  /** One open-loop delivery phase: publish, wait until everything arrived (or 30 s), collect latencies. */
  private Phase phase(double rate, Duration duration, int batch) throws Exception {
    receiver.takeLatencies();
    int before = receiver.distinctArrivals();
    Load.Published published = await(load.openLoop(events(), apiKey, rate, duration, batch, (n, t0) -> new JsonObject()
        .put("event", "bench-" + (n % PROFILES)).put("data", new JsonObject().put("t0", t0).put("n", n).put("status", "DELIVRD"))));
    long publishedAt = System.nanoTime();
    await(receiver.awaitDistinct(vertx, before + (int) published.deliveries(), Duration.ofSeconds(30)));
    long drain = (System.nanoTime() - publishedAt) / 1_000_000;
    return new Phase(published, receiver.distinctArrivals() - before, receiver.takeLatencies(), drain);
  }

  private record Phase(Load.Published published, long delivered, long[] latencies, long drainMillis) {
    double percentile(double p) {
      return latencies.length == 0 ? Double.NaN : latencies[(int) Math.min(latencies.length - 1, p * latencies.length)] / 1000.0;
    }

    boolean balanced() {
      return published.failedRequests() == 0 && delivered == published.deliveries();
    }

    String balance() {
      return "published " + published.deliveries() + " = delivered " + delivered + " + missing "
          + (published.deliveries() - delivered) + (published.failedRequests() > 0 ? ", " + published.failedRequests()
          + " publish requests failed" : "") + (balanced() ? "" : " (VOID: not balanced)");
    }
  }

  private long heapMiB() throws Exception {
    String metrics = await(client.get("/metrics").send()).bodyAsString();
    double bytes = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    return (long) (bytes / 1024 / 1024);
  }

  private void dropSchema(String databaseUrl, String schema) {
    try {
      var pool = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(databaseUrl)).using(vertx).build();
      await(pool.query("drop schema if exists " + schema + " cascade").execute());
      await(pool.close());
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "could not drop schema {0}: {1}", schema, e.getMessage());
    }
  }

  private String profiles() {
    return "/v1/" + sid + "/callback/profiles";
  }

  private String events() {
    return "/v1/" + sid + "/callback/events";
  }

  private void print(String what, String figure) {
    out.printf("%-26s %s%n", what, figure);
    report.add(new String[] {what, figure});
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
