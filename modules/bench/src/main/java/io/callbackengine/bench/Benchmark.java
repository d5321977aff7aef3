package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The end-to-end benchmark: starts the packaged engine as its own process against the local PostgreSQL (a schema of
 * its own, dropped at the end), a receiver that records each arrival, and an open-loop load generator that stamps
 * every event with its scheduled send time, so latency is {@code arrival − t0} and a lagging generator cannot hide
 * delay. It measures the raw HTTP round-trip limit to the receiver (same client library, no engine), then on the
 * engine: {@code GET profile} requests/s, publish→delivery latency at 1,000 events/s one per request, the highest
 * sustained delivery rate ({@link RateSearch}), latency at half that rate, a healthy profile's latency beside a
 * hanging one ({@link FairnessScenario}), then intake events/s (one per request and batches of 100; last, as the held
 * deliveries it leaves stay in the queue), memory and duplicates. Each measured delivery phase follows a short lead-in
 * at its own rate, unmeasured but printed (see {@code InterleavedRun#LEAD_IN}).
 * Every delivery phase starts from a checkpoint, checks its balance (published = delivered + missing), waits until
 * the engine's queue is empty, vacuums the engine's schema, and prints its cost per delivery ({@link PhaseCost}: WAL,
 * CPU, commits), so no phase inherits another's backlog, dead rows or checkpoint.
 *
 * <p>With {@code --baseline-jar} a second engine goes through the same measurements in the same run, each measurement
 * taken on one engine then the other ({@link InterleavedRun}), and a final table gives both and their ratio.
 * With {@code --soak} the run is a {@link Soak} instead.
 *
 * <pre>
 *   java -jar modules/bench/target/callback-engine-bench.jar [options]
 *
 *   --engine-jar PATH      the engine to measure (default modules/app/target/callback-engine.jar)
 *   --baseline-jar PATH    a second engine to compare it with, interleaved phase by phase
 *   --quick                10 s phases and 5 s capacity runs instead of 30 s and 10 s (lower, noisier figures)
 *   --duration 30s         length of each measured delivery phase
 *   --search-from 2000     first rate of the sustained-rate search, deliveries/s
 *   --rates 4000,6000      try these rates instead of searching
 *   --engines 2            run each engine as 2 processes on one schema, publishes spread over their APIs in turn
 *   --engines 2,1          the engine jar as 2 processes and as 1, side by side like a baseline (ratio 2 / 1)
 *   --engine-env K=V,K2=V2 extra environment for every engine started
 *   --baseline-env K=V     extra environment for the baseline alone; without --baseline-jar the baseline is the
 *                          engine jar, so one run compares two settings (ratio: without K=V / with it)
 *   --ordering-keys 1000   delivery phases publish each event with one of 1000 ordering keys in turn (API.md §14)
 *   --ordering-keys 1000,0 the engine jar with 1000 keys and without, side by side like a baseline (ratio 1000 / 0)
 *   --engine-heap 384m     the engines' -Xmx
 *   --jfr PATH             record the candidate engine with Java Flight Recorder (settings=profile) into PATH
 *   --database-url URL     default postgresql://postgres@127.0.0.1:5432/postgres
 *   --log-dir DIR          where the engines' logs go (default modules/bench/target), bench-&lt;engine&gt;.log
 *   --soak 10m --soak-rate 500 [--retention 2m]
 *                          publish 500 deliveries/s for 10 minutes, one line every 30 s; --retention sets the
 *                          engine's CALLBACK_RETENTION; with --baseline-jar the baseline soaks after the candidate
 *
 *   # the engine just built against an older jar, in about 5 minutes
 *   java -jar modules/bench/target/callback-engine-bench.jar --quick --baseline-jar old/callback-engine.jar
 *   # ten minutes at 2,000 deliveries/s, keeping two minutes of delivery history
 *   java -jar modules/bench/target/callback-engine-bench.jar --soak 10m --soak-rate 2000 --retention 2m
 *   # what a second engine process on the same PostgreSQL buys: the sustained rate with two processes and with one
 *   java -jar modules/bench/target/callback-engine-bench.jar --engines 2,1
 *   # where the engine's CPU goes: then jfr summary engine.jfr, jfr print --events jdk.ExecutionSample engine.jfr
 *   java -jar modules/bench/target/callback-engine-bench.jar --quick --jfr modules/bench/target/engine.jfr
 * </pre>
 * A full comparison takes about 15 minutes, {@code --quick} about 7; a single engine half of that. Standard output
 * carries the report only: a line per measurement as it is taken, then the table.
 */
public final class Benchmark {

  private static final System.Logger LOG = System.getLogger(Benchmark.class.getName());
  /** Closed loops the raw limit is measured in; the highest counts. */
  private static final int RAW_RUNS = 3;

  private final PrintStream out;
  private final BenchmarkOptions options;
  private final Vertx vertx = Vertx.vertx();

  private Benchmark(PrintStream out, BenchmarkOptions options) {
    this.out = out;
    this.options = options;
  }

  public static void main(String[] args) {
    BenchmarkOptions options;
    try {
      options = BenchmarkOptions.parse(args);
    } catch (IllegalArgumentException e) {
      // A mistyped option is the user's to fix: the message says what is wrong, a stack trace would bury it.
      System.err.println("callback-engine-bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      // Standard output is the report, as for a command-line tool; diagnostics go to the logger.
      new Benchmark(System.out, options).run();
    } catch (Exception e) {
      // Vert.x's threads would keep a failed run's JVM alive for ever.
      LOG.log(System.Logger.Level.ERROR, "benchmark failed", e);
      System.exit(1);
    }
    System.exit(0);
  }

  private void run() throws Exception {
    List<String> labels = options.baselineJar().isPresent() ? List.of("candidate", "baseline")
        : options.engines().size() > 1 ? options.engines().stream().map(n -> n + (n == 1 ? " engine" : " engines")).toList()
        : options.orderingKeys().size() > 1 ? options.orderingKeys().stream().map(Benchmark::keysLabel).toList()
        : List.of("engine");
    Report report = new Report(out, labels);
    Pool pool = PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(2))
        .connectingTo(PgConnectOptions.fromUri(options.databaseUrl())).using(vertx).build();
    List<EngineUnderTest> engines = new CopyOnWriteArrayList<>();
    DiskProbe disk = DiskProbe.start(options.logDirectory(), Duration.of(DeliveryPhase.SLOW_MICROS, ChronoUnit.MICROS));
    // Interrupted (Ctrl-C), the run must still stop its engines, drop their schemas and remove the probe's file.
    Thread cleanUp = new Thread(() -> {
      engines.forEach(Benchmark::closeQuietly);
      closeQuietly(disk);
    });
    Runtime.getRuntime().addShutdownHook(cleanUp);
    try {
      report.note("machine", Runtime.getRuntime().availableProcessors() + " cores; engines, PostgreSQL, receiver and load "
          + "generator all on it");
      report.note("PostgreSQL", await(pool.query("""
              select format('%s; synchronous_commit %s, autovacuum %s, shared_buffers %s', current_setting('server_version'),
                current_setting('synchronous_commit'), current_setting('autovacuum'), current_setting('shared_buffers'))""")
          .execute()).iterator().next().getString(0));
      vacuumCatalogs(pool, report);
      report.note("disk", "a probe syncs 8 KiB every " + DiskProbe.INTERVAL.toMillis() + " ms in " + options.logDirectory()
          + "; each phase lists the seconds a sync took over 100 ms, when it held every commit of the machine too");
      if (options.engines().size() > 1 || options.engines().get(0) > 1) {
        report.note("engine processes", options.engines().stream().map(String::valueOf)
            .collect(java.util.stream.Collectors.joining(" / ")) + " per engine, on one schema each; requests go to its "
            + "processes in turn; CPU summed over them, peak RSS the largest process's");
      }
      if (!options.environment().isEmpty()) {
        report.note("engine environment", new TreeMap<>(options.environment()).toString());
      }
      if (!options.baselineEnvironment().isEmpty()) {
        report.note("baseline environment", new TreeMap<>(options.baselineEnvironment()) + " on top, for the baseline "
            + "only (" + options.baselineJar().orElseThrow().getFileName() + ")");
      }
      if (options.orderingKeys().size() > 1 || options.orderingKeys().get(0) > 0) {
        report.note("ordering keys", options.orderingKeys().stream().map(Benchmark::keysLabel)
            .collect(java.util.stream.Collectors.joining(" / ")) + ": each event of the delivery phases carries one of "
            + "the keys in turn (API.md §14); the same engine jar");
      }
      options.jfr().ifPresent(jfr -> report.note("flight recording", "of the " + labels.get(0) + " into " + jfr));
      if (options.soak().isPresent()) {
        // One engine at a time: a soak is about what time does to one engine, not about sharing the machine.
        for (String label : labels) {
          EngineUnderTest engine = start(label, pool, disk);
          engines.add(engine);
          new Soak(report).run(engine, options.soakRate(), options.soak().get());
          engine.close();
          engines.remove(engine);
        }
      } else {
        ArrivalRecorder first = await(new ArrivalRecorder().start(vertx));
        List<Double> rawRuns = rawLimit(first, options.capacityRun());
        double raw = rawRuns.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        report.note("raw HTTP limit", String.format(Locale.ROOT, "%,.0f round trips/s (Vert.x HttpClient, %d connections, "
            + "no engine; the highest of %s)", raw, EngineUnderTest.CONNECTIONS, rawRuns.stream()
            .map(r -> String.format(Locale.ROOT, "%,.0f", r)).collect(java.util.stream.Collectors.joining(", "))));
        for (String label : labels) {
          engines.add(start(label, pool, engines.isEmpty() ? first : await(new ArrivalRecorder().start(vertx)), disk));
        }
        new InterleavedRun(options, engines, report, raw).run();
      }
    } finally {
      engines.forEach(Benchmark::closeQuietly);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanUp);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or ran: nothing left to close
      }
      await(pool.close());
      vertx.close();
      disk.close();
    }
    report.print();
  }

  private EngineUnderTest start(String label, Pool pool, DiskProbe disk) throws Exception {
    return start(label, pool, await(new ArrivalRecorder().start(vertx)), disk);
  }

  /**
   * The candidate is the engine jar (and the one recorded with --jfr); the baseline the baseline jar. With several
   * process counts, each label is the engine jar with its count, and the first is the one recorded.
   */
  private EngineUnderTest start(String label, Pool pool, ArrivalRecorder receiver, DiskProbe disk) throws Exception {
    boolean baseline = label.equals("baseline");
    boolean byKeys = options.orderingKeys().size() > 1;
    boolean recorded = !baseline && (byKeys ? label.equals(keysLabel(options.orderingKeys().get(0)))
        : options.engines().size() == 1 || label.startsWith(options.engines().get(0) + " "));
    int processes = options.engines().size() > 1 ? Integer.parseInt(label.substring(0, label.indexOf(' ')))
        : options.engines().get(0);
    int keys = byKeys ? options.orderingKeys().get(options.orderingKeys().stream().map(Benchmark::keysLabel).toList()
        .indexOf(label)) : options.orderingKeys().get(0);
    List<String> jvmOptions = options.jfr().isPresent() && recorded
        ? List.of("-XX:StartFlightRecording=filename=" + options.jfr().get() + ",settings=profile,dumponexit=true")
        : List.of();
    EngineProcess.Settings settings = new EngineProcess.Settings(
        baseline ? options.baselineJar().get() : options.engineJar(), options.databaseUrl(), options.heap(),
        baseline ? withBaseline(options) : options.environment(), jvmOptions,
        options.logDirectory().resolve("bench-" + label.replace(' ', '-') + ".log"));
    EngineUnderTest engine = EngineUnderTest.start(vertx, label, settings, receiver, pool, processes, disk);
    engine.orderingKeys(keys);
    return engine;
  }

  /** The baseline's environment: every engine's, then its own on top. */
  private static Map<String, String> withBaseline(BenchmarkOptions options) {
    Map<String, String> environment = new LinkedHashMap<>(options.environment());
    environment.putAll(options.baselineEnvironment());
    return Map.copyOf(environment);
  }

  private static String keysLabel(int keys) {
    return keys == 0 ? "no keys" : keys + " keys";
  }

  /**
   * Round trips/s from the same HTTP client library to the receiver, no engine: what the machine allows at most.
   * {@link #RAW_RUNS} closed loops after a warm-up: a loop that other work on the machine disturbed reads low (2,650
   * and 4,392 round trips/s in two runs of 2026-12-02 against 34,000 in others), so the report takes the highest and
   * shows them all.
   */
  private List<Double> rawLimit(ArrivalRecorder receiver, Duration duration) throws Exception {
    HttpClient raw = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(EngineUnderTest.CONNECTIONS)).build();
    Buffer body = new JsonObject().put("t0", 0).put("n", 1).toBuffer();
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(receiver.port()).setURI("/raw");
    WebClient rawClient = WebClient.wrap(raw);
    Load load = new Load(vertx, () -> rawClient);
    // A buffer per request: a Buffer is not thread-safe, and the lanes run on several event loops.
    Supplier<Future<HttpResponse<Buffer>>> post = () -> rawClient.request(HttpMethod.POST, request).sendBuffer(body.copy());
    await(load.warmUp(EngineUnderTest.CONNECTIONS, post));
    List<Double> rates = new ArrayList<>();
    for (int run = 0; run < RAW_RUNS; run++) {
      rates.add(await(load.closedLoop(EngineUnderTest.CONNECTIONS, duration, post)));
    }
    receiver.takeLatencies();
    await(raw.close());
    return rates;
  }

  private static void closeQuietly(EngineUnderTest engine) {
    try {
      engine.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(DiskProbe disk) {
    try {
      disk.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not remove the disk probe's file: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * With autovacuum off (as on this machine), nothing ever vacuums PostgreSQL's own catalogs, and every run leaves dead
   * rows there: the two engines' schemas, created and dropped with their partitions, indexes and types. After many
   * runs (2026-12-02: 77,000 dead rows in {@code pg_attribute} beside 719 live) every catalog look-up of both engines
   * paid for earlier runs. The catalogs with dead rows are vacuumed before the run, as autovacuum would have.
   */
  private static void vacuumCatalogs(Pool pool, Report report) throws Exception {
    String autovacuum = await(pool.query("select current_setting('autovacuum')").execute()).iterator().next()
        .getString(0);
    if (!"off".equals(autovacuum)) {
      return;
    }
    List<String> tables = new ArrayList<>();
    long dead = 0;
    for (Row row : await(pool.query("""
        select format('pg_catalog.%I', relname), n_dead_tup from pg_stat_sys_tables
         where schemaname = 'pg_catalog' and n_dead_tup > 0""").execute())) {
      tables.add(row.getString(0));
      dead += row.getLong(1);
    }
    if (!tables.isEmpty()) {
      await(pool.query("vacuum " + String.join(", ", tables)).execute());
    }
    report.note("system catalogs", String.format(Locale.ROOT, "vacuumed first, as autovacuum is off: %,d dead rows in "
        + "%d catalogs, left by earlier runs", dead, tables.size()));
  }

  /** Blocks the calling thread, never an event loop, until {@code future} completes; fails after 10 minutes. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
