package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One engine as the benchmark drives it: its processes (one, or several sharing one schema, as several machines
 * would share one PostgreSQL), its schema, a receiver of its own (so two engines' arrivals never mix), an HTTP client
 * to each process's API, and the account and profiles the benchmark set up in it. With several processes every
 * request goes to the next process in turn, as a load balancer in front of them would send it; CPU is the sum of the
 * processes', peak RSS the largest process's. Its methods block the calling thread (the benchmark's main thread,
 * never an event loop) until the measurement they make is over.
 */
final class EngineUnderTest implements AutoCloseable {

  /** Profiles the delivery phases spread their events over, one event name each. */
  static final int PROFILES = 4;
  private static final long TENTH_MICROS = 100_000;
  /** Connections the raw limit uses: the most the engine keeps to one receiver host for the delivery profiles. */
  static final int CONNECTIONS = PROFILES * 16;
  /** How long a phase may take to work off its backlog before the engine is deemed stuck. */
  private static final Duration DRAIN_LIMIT = Duration.ofMinutes(5);
  /** How long to wait for the receiver before the queue alone is watched. */
  private static final Duration ARRIVAL_LIMIT = Duration.ofSeconds(30);

  final String label;
  private final Vertx vertx;
  private final List<EngineProcess> processes = new CopyOnWriteArrayList<>();
  private final ArrivalRecorder receiver;
  private final Pool pool;
  private final EngineSchema schema;
  private final List<WebClient> clients = new CopyOnWriteArrayList<>();
  private final AtomicInteger turn = new AtomicInteger();
  private final Load load;
  private final DiskProbe disk;
  private final long rssTimer;
  private String sid;
  private String apiKey;
  private String firstProfile;
  private boolean stuck;
  private boolean closed;
  /** 0: no ordering keys; N: event n carries key {@code key-(n % N)}. */
  private int orderingKeys;

  private EngineUnderTest(String label, Vertx vertx, EngineProcess first, ArrivalRecorder receiver, Pool pool,
      DiskProbe disk) {
    this.label = label;
    this.disk = disk;
    this.vertx = vertx;
    this.receiver = receiver;
    this.pool = pool;
    this.schema = new EngineSchema(pool, first.schema);
    add(first);
    this.load = new Load(vertx, this::client);
    this.rssTimer = vertx.setPeriodic(500, id -> processes.forEach(EngineProcess::rssMiB));
  }

  /**
   * Starts the engine's {@code processCount} processes one after the other (the first migrates the schema), waits
   * until each is ready, and sets up an account with its profiles. Only the first is recorded with a flight
   * recording; the others log to the first's log name with {@code -2}, {@code -3} … before {@code .log}.
   */
  static EngineUnderTest start(Vertx vertx, String label, EngineProcess.Settings settings, ArrivalRecorder receiver,
      Pool pool, int processCount, DiskProbe disk) throws Exception {
    EngineUnderTest engine = new EngineUnderTest(label, vertx, EngineProcess.start(label, settings), receiver, pool,
        disk);
    try {
      engine.processes.get(0).awaitReady(vertx);
      for (int n = 2; n <= processCount; n++) {
        String log = settings.log().toString().replaceFirst("\\.log$", "") + "-" + n + ".log";
        EngineProcess more = engine.processes.get(0).sibling(new EngineProcess.Settings(settings.jar(),
            settings.databaseUrl(), settings.heap(), settings.environment(), List.of(), java.nio.file.Path.of(log)));
        engine.add(more);
        more.awaitReady(vertx);
      }
      engine.setUp();
      return engine;
    } catch (Exception e) {
      // Its schema exists from the engine's first migration on, so it must go too.
      engine.close();
      throw e;
    }
  }

  private void add(EngineProcess process) {
    processes.add(process);
    clients.add(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(process.port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64)));
  }

  /** The client of the next process in turn (the only one's when there is one). */
  private WebClient client() {
    return clients.get(Math.floorMod(turn.getAndIncrement(), clients.size()));
  }

  int processCount() {
    return processes.size();
  }

  /** Four delivery profiles to the receiver, and a disabled one that holds what intake phases publish. */
  private void setUp() throws Exception {
    WebClient client = clients.get(0);
    JsonObject account = Benchmark.await(client.post("/admin/accounts")
        .putHeader("authorization", "Bearer " + EngineProcess.ADMIN_TOKEN)
        .sendJsonObject(new JsonObject().put("name", "benchmark"))).bodyAsJsonObject().getJsonObject("data");
    sid = account.getString("sid");
    apiKey = account.getString("api_key");
    for (int i = 0; i < PROFILES; i++) {
      String id = createProfile("bench " + i, "/p" + i, "bench-" + i,
          new JsonObject().put("t0", "<t0>").put("n", "<n>").put("status", "<status>"));
      if (firstProfile == null) {
        firstProfile = id;
      }
    }
    String held = createProfile("bench intake", "/held", "bench-intake", new JsonObject().put("n", "<n>"));
    Benchmark.await(client.patch(profiles() + "/" + held).putHeader("api-key", apiKey)
        .sendJsonObject(new JsonObject().put("status", 3)));
  }

  private String createProfile(String title, String path, String event, JsonObject body) throws Exception {
    return Benchmark.await(clients.get(0).post(profiles()).putHeader("api-key", apiKey).sendJsonObject(new JsonObject()
            .put("title", title).put("http_method", "POST").put("url", "http://127.0.0.1:" + receiver.port() + path)
            .put("channel", "sms").put("events", new JsonArray().add(event)).put("body", body)))
        .bodyAsJsonObject().getJsonObject("data").getString("profile_id");
  }

  /** Runs the {@code GET profile} load once, unmeasured. */
  void warmUpReads() throws Exception {
    Benchmark.await(load.warmUp(32, getProfile()));
  }

  /** Runs each intake load once, unmeasured: one event per request and batches of 100. */
  void warmUpIntake() throws Exception {
    Benchmark.await(load.warmUp(32, publishOne()));
    Benchmark.await(load.warmUp(8, publishHundred()));
  }

  /** {@code GET profile} requests/s, 32 in flight. */
  double getProfile(Duration duration) throws Exception {
    return Benchmark.await(load.closedLoop(32, duration, getProfile()));
  }

  /** Intake alone, events/s: events for the disabled profile, so each creates a (held) delivery but nothing is sent. */
  Intake intake(Duration duration) throws Exception {
    double single = Benchmark.await(load.closedLoop(32, duration, publishOne()));
    double batches = Benchmark.await(load.closedLoop(8, duration, publishHundred()));
    return new Intake(single, batches * 100);
  }

  private Supplier<Future<HttpResponse<Buffer>>> getProfile() {
    String path = profiles() + "/" + firstProfile;
    return () -> client().get(path).putHeader("api-key", apiKey).send();
  }

  private Supplier<Future<HttpResponse<Buffer>>> publishOne() {
    JsonObject one = new JsonObject().put("event", "bench-intake").put("data", new JsonObject().put("n", 1));
    return () -> client().post(events()).putHeader("api-key", apiKey).sendJsonObject(one);
  }

  private Supplier<Future<HttpResponse<Buffer>>> publishHundred() {
    JsonArray hundred = new JsonArray();
    for (int i = 0; i < 100; i++) {
      hundred.add(new JsonObject().put("event", "bench-intake").put("data", new JsonObject().put("n", 1)));
    }
    return () -> client().post(events()).putHeader("api-key", apiKey).sendJson(hundred);
  }

  /** @param single events/s, one per request, 32 in flight; @param batched events/s in batches of 100, 8 in flight */
  record Intake(double single, double batched) {
  }

  /**
   * One measured open-loop delivery phase: publish {@code rate} events/s in batches of {@code batch} for
   * {@code duration}, then wait for every arrival (up to 30 s) and for the engine's queue to be empty (up to 5 min),
   * then vacuum the schema, so the phase pays for the dead rows it made and the next one starts without them.
   * An engine whose queue never empties is marked {@link #stuck()}.
   */
  DeliveryPhase deliver(double rate, Duration duration, int batch) throws Exception {
    checkpoint();
    Taken takenBefore = taken();
    PhaseCost.Reading before = PhaseCost.Reading.take(pool, pids());
    receiver.takeLatencies();
    int arrivedBefore = receiver.distinctArrivals();
    Load.Published published = Benchmark.await(publish(rate, duration, batch));
    long publishedAt = System.nanoTime();
    awaitArrivals(arrivedBefore + published.deliveries(), ARRIVAL_LIMIT);
    long arrivedMillis = millisSince(publishedAt);
    boolean drained = awaitEmptyQueue();
    long emptyMillis = millisSince(publishedAt);
    stuck = !drained;
    long vacuumStarted = System.nanoTime();
    Benchmark.await(schema.vacuum());
    long vacuumMillis = millisSince(vacuumStarted);
    PhaseCost cost = PhaseCost.between(before, PhaseCost.Reading.take(pool, pids()), published.deliveries());
    Taken taken = taken().minus(takenBefore);
    ArrivalRecorder.Window window = receiver.takeWindow();
    SortedMap<Long, Long> diskStalls = window.latencies().length == 0 ? new TreeMap<>()
        : DiskProbe.bySecond(disk.between(window.firstSent(), ArrivalRecorder.Clock.micros()), window.firstSent());
    SortedMap<Long, Integer> slowSeconds = window.slowSeconds(DeliveryPhase.SLOW_MICROS);
    long[][] firstSecond = slowSeconds.containsKey(0L) ? new long[][] {published.slowestAcks(TENTH_MICROS, 10),
        window.slowest(TENTH_MICROS, 10)} : null;
    return new DeliveryPhase(rate, batch, published, receiver.distinctArrivals() - arrivedBefore,
        window.latencies(), slowSeconds, arrivedMillis, emptyMillis, drained, vacuumMillis, cost, diskStalls, taken,
        firstSecond);
  }

  /**
   * Starts the phase from a fresh checkpoint, so every phase of every engine starts from the same state. Left to its
   * timer (5 min, or 1 GB of WAL: under a minute at the highest rates), a checkpoint fell into one phase or another,
   * and the full-page images PostgreSQL writes for every page first changed after a checkpoint took the WAL of the
   * phases after it from about 2,500 to 8,000 bytes per delivery. Each phase now pays for the pages it touches, the
   * same way: WAL figures are higher than between checkpoints (3,600 rather than 2,500 B at 3,000/s for the same jar),
   * and an engine that touches fewer pages shows it. Needs a superuser or {@code pg_checkpoint}.
   */
  private void checkpoint() {
    try {
      Benchmark.await(pool.query("checkpoint").execute());
    } catch (Exception e) {
      System.getLogger(EngineUnderTest.class.getName()).log(System.Logger.Level.WARNING,
          "no checkpoint before the phase, so its WAL figure may hold a checkpoint's full-page images: {0}", e.getMessage());
    }
  }

  /** From now on, delivery phases publish each event with one of {@code keys} ordering keys (0: none). */
  void orderingKeys(int keys) {
    orderingKeys = keys;
  }

  /**
   * Publishes open loop, each event for one of the delivery profiles, carrying its scheduled send time (and an
   * ordering key, when asked: keys go round, so each key's events are spread evenly in time).
   */
  Future<Load.Published> publish(double rate, Duration duration, int batch) {
    return load.openLoop(events(), apiKey, rate, duration, batch, (n, t0) -> {
      JsonObject event = new JsonObject().put("event", "bench-" + (n % PROFILES))
          .put("data", new JsonObject().put("t0", t0).put("n", n).put("status", "DELIVRD"));
      return orderingKeys > 0 ? event.put("ordering_key", "key-" + (n % orderingKeys)) : event;
    });
  }

  /** Waits until the receiver has seen {@code count} distinct deliveries in all, or {@code limit} passed. */
  void awaitArrivals(long count, Duration limit) throws Exception {
    Benchmark.await(receiver.awaitDistinct(vertx, (int) count, limit));
  }

  /** Polls the queue every 250 ms until it is empty (true) or {@link #DRAIN_LIMIT} passed (false). */
  boolean awaitEmptyQueue() throws Exception {
    long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (Benchmark.await(schema.queued()) > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(250);
    }
    return true;
  }

  /** Whether a phase left a queue that never emptied: then no later delivery phase of this engine means anything. */
  boolean stuck() {
    return stuck;
  }

  FairnessScenario.Result fairness(double rate, Duration duration) throws Exception {
    return Benchmark.await(new FairnessScenario(vertx, clients.get(0), load, receiver, profiles(), events(), apiKey)
        .run(rate, duration));
  }

  long peakRssMiB() {
    return processes.stream().mapToLong(EngineProcess::peakRssMiB).max().orElse(0);
  }

  private List<Long> pids() {
    return processes.stream().map(EngineProcess::pid).toList();
  }

  /**
   * Deliveries the engine's dispatchers took so far, from its metrics ({@code callback_dispatch_taken_total}), summed
   * over its processes: handed over by the publish that made them, or claimed from the queue. Both NaN for an engine
   * that does not report them.
   */
  record Taken(double handedOver, double claimed) {
    Taken minus(Taken earlier) {
      return new Taken(handedOver - earlier.handedOver, claimed - earlier.claimed);
    }

    /** The share handed over, NaN when nothing was taken or the engine does not say. */
    double handedOverShare() {
      return handedOver / (handedOver + claimed);
    }
  }

  private Taken taken() throws Exception {
    return new Taken(metric("callback_dispatch_taken_total{", "source=\"handed_over\""),
        metric("callback_dispatch_taken_total{", "source=\"claimed\""));
  }

  /** Heap in use now, from the engine's own metrics, summed over its processes. */
  long heapMiB() throws Exception {
    return (long) (metric("jvm_memory_used_bytes{area=\"heap\"") / 1024 / 1024);
  }

  /**
   * Milliseconds the JIT compilers have worked since the engine started, from its own metrics, summed over its
   * processes; empty when the engine does not report it.
   */
  OptionalDouble compilationMillis() throws Exception {
    double millis = metric("jvm_compilation_time_ms_total{");
    return Double.isNaN(millis) ? OptionalDouble.empty() : OptionalDouble.of(millis);
  }

  /** The sum over the engine's processes of {@link #sum(String, String)} of their metrics; NaN if none has any. */
  private double metric(String prefix) throws Exception {
    return metric(prefix, "");
  }

  /** As {@link #metric(String)}, of the samples whose line also holds {@code label}. */
  private double metric(String prefix, String label) throws Exception {
    double sum = Double.NaN;
    for (WebClient client : clients) {
      double samples = sum(Benchmark.await(client.get("/metrics").send()).bodyAsString(), prefix, label);
      if (!Double.isNaN(samples)) {
        sum = Double.isNaN(sum) ? samples : sum + samples;
      }
    }
    return sum;
  }

  /** The sum of the samples in Prometheus text {@code metrics} whose line starts with {@code prefix}; NaN if none. */
  static double sum(String metrics, String prefix) {
    return sum(metrics, prefix, "");
  }

  /** As {@link #sum(String, String)}, of the lines that also hold {@code label}, such as {@code source="claimed"}. */
  static double sum(String metrics, String prefix, String label) {
    return metrics.lines().filter(l -> l.startsWith(prefix) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .reduce(Double::sum).orElse(Double.NaN);
  }

  ArrivalRecorder receiver() {
    return receiver;
  }

  EngineSchema schema() {
    return schema;
  }

  /**
   * Stops the engine and drops its schema; a schema that cannot be dropped is reported, not thrown. Idempotent: an
   * interrupted benchmark closes from a shutdown hook what its main thread may be closing too.
   */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(rssTimer);
    for (EngineProcess process : processes) {
      process.close();
    }
    clients.forEach(WebClient::close);
    try {
      Benchmark.await(schema.drop());
    } catch (Exception e) {
      System.getLogger(EngineUnderTest.class.getName()).log(System.Logger.Level.WARNING,
          "could not drop schema {0}: {1}", schema.name, e.getMessage());
    }
  }

  private String profiles() {
    return "/v1/" + sid + "/callback/profiles";
  }

  private String events() {
    return "/v1/" + sid + "/callback/events";
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }
}
