package io.callbackengine.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The measurements, each taken on every engine in turn before the next: a candidate and a baseline then see the same
 * machine at nearly the same time, and neither is loaded while the other is measured (the idle one waits, its queue
 * empty). The order alternates from one measurement to the next, so neither engine always goes first or always
 * right after the other's load. Every delivery phase waits until the engine's queue is empty; an engine whose queue
 * never empties takes no further delivery phases. The raw HTTP limit is measured before any engine starts (three
 * closed loops; the highest counts).
 */
final class InterleavedRun {

  private static final double LATENCY_RATE = 1000;
  /**
   * The delivery path is also warmed in batches: publishes of 100 events that hand over 100 deliveries at once, as the
   * measured phases' publishes of rate/100 events do. Warmed one event per request only, as until 2026-12-03, an
   * engine compiled anew in the first seconds of each phase at a new rate (run F2: 1.8 s of JIT in the candidate's
   * first 6,750/s phase, with 3,852 deliveries over 100 ms late in its first second and more in the next five).
   */
  private static final double BATCHED_WARM_UP_RATE = 2000;
  private static final int BATCHED_WARM_UP_SIZE = 100;
  /** Warm-up rounds of the delivery path at most, one event per request and in batches each. */
  private static final int WARM_UP_ROUNDS = 8;
  /**
   * The JIT has settled when a warm-up round's compilation time is less than this share of the round. Long after
   * start-up, the compilers of an engine under load still work 2-5 % of the time (a trickle of recompilations).
   */
  private static final double SETTLED_COMPILATION = 0.10;
  /**
   * Load at a measured phase's own rate and batch size just before it, unmeasured. Between two phases of one engine
   * the other engine's phases leave it idle for 40 s to 3 min, long enough for its callback connections to the
   * receiver to pass their keep-alive (60 s) and be closed, which also deoptimized the engine's hot Netty write path
   * (JFR, run E2); the phase after such a pause then paid for new connections and 1-3 s of JIT in its first second
   * (2026-12-03, runs E1-E4: 218-1,968 deliveries over 100 ms in second 0 after a pause, none when the same engine's
   * phases followed each other). That is the first second after a quiet minute, not the rate: the lead-in takes it,
   * and its line still shows it.
   */
  private static final Duration LEAD_IN = Duration.ofSeconds(3);
  /** Events/s of each profile in the fairness scenario. */
  private static final double FAIRNESS_RATE = 100;
  /** The p99 an engine should keep at half its highest sustained rate. */
  private static final double HALF_RATE_TARGET_MILLIS = 100;

  private final BenchmarkOptions options;
  private final List<EngineUnderTest> engines;
  private final Report report;
  private final double rawLimit;
  private final Map<EngineUnderTest, RateSearch> searches = new HashMap<>();
  /** Per engine, its sustained phases by rate, to compare costs at a rate every engine sustained. */
  private final Map<EngineUnderTest, Map<Double, DeliveryPhase>> sustained = new HashMap<>();
  private final Map<EngineUnderTest, Tally> tallies = new HashMap<>();
  private int turn;

  InterleavedRun(BenchmarkOptions options, List<EngineUnderTest> engines, Report report, double rawLimit) {
    this.options = options;
    this.engines = List.copyOf(engines);
    this.report = report;
    this.rawLimit = rawLimit;
    for (EngineUnderTest engine : engines) {
      searches.put(engine, options.rates().isEmpty() ? RateSearch.from(options.searchFrom())
          : RateSearch.of(options.rates()));
      sustained.put(engine, new TreeMap<>());
      tallies.put(engine, new Tally());
    }
  }

  void run() throws Exception {
    Duration capacity = options.capacityRun();
    Duration phase = options.phase();
    awaitQuietEngines();
    // Every engine warmed before any is measured: the benchmark's own client warms up too, with the first engine.
    each(EngineUnderTest::warmUpReads);
    each(engine -> {
      double rate = engine.getProfile(capacity);
      report.line(engine.label, "GET profile", String.format(Locale.ROOT, "%,.0f requests/s (32 in flight)", rate));
      report.figure("GET profile, requests/s", engine.label, rate, "%,.0f");
    });
    each(engine -> warmUp(engine, capacity));
    each(engine -> {
      DeliveryPhase latency = deliver(engine, "latency at 1000/s, 1 per request", LATENCY_RATE, phase, 1, true);
      if (latency != null) {
        latencyFigures(engine, "at 1,000/s one per request", latency);
        costFigures(engine, "at 1,000/s", latency.cost());
      }
    });
    search(phase);
    each(engine -> {
      double half = Math.round(searches.get(engine).highestSustained() / 2 / 50) * 50.0;
      if (half > 0) {
        DeliveryPhase at = deliver(engine, "half the sustained rate, " + (int) half + "/s", half, phase, batch(half), true);
        if (at != null) {
          report.figure("half the sustained rate, deliveries/s", engine.label, half, "%,.0f");
          latencyFigures(engine, "at half the sustained rate", at);
          report.figure("at half the sustained rate: p99 ≤ 100 ms", engine.label,
              at.percentile(0.99) <= HALF_RATE_TARGET_MILLIS ? "met" : "missed");
          report.figure("at half the sustained rate: deliveries over 100 ms sent when the disk stalled", engine.label,
              String.format(Locale.ROOT, "%,d of %,d", at.slowNearDiskStalls(), at.slowDeliveries()));
        }
      }
    });
    commonRateCosts();
    each(engine -> {
      if (engine.stuck()) {
        return;
      }
      FairnessScenario.Result fairness = engine.fairness(FAIRNESS_RATE, options.quick() ? Duration.ofSeconds(5)
          : Duration.ofSeconds(15));
      report.line(engine.label, "fairness", fairness.describe());
      report.figure("fairness: healthy p99 alone, ms", engine.label, fairness.alone().p(0.99), "%,.1f");
      report.figure("fairness: healthy p99 beside a hanging profile, ms", engine.label, fairness.beside().p(0.99), "%,.1f");
    });
    // Intake last: its events go to a disabled profile, and the held deliveries they leave (some 560,000 an engine)
    // stay in the queue for good. Measured first, as until 2026-12-03, they were in both engines' queues through
    // every delivery phase, and the idle engine's periodic work on them was charged to the measured one: the
    // baseline cfe111a counts its whole queue every 5 s with a parallel scan (113-156 ms with 378,600 held), which
    // put late bursts 5 s apart into the candidate's phases and its PostgreSQL CPU per delivery, which counts every
    // PostgreSQL process on the machine.
    each(engine -> {
      if (engine.stuck()) {
        report.line(engine.label, "intake", "skipped: an earlier phase's queue never emptied");
        return;
      }
      engine.warmUpIntake();
      EngineUnderTest.Intake intake = engine.intake(capacity);
      report.line(engine.label, "intake", String.format(Locale.ROOT, "%,.0f events/s one per request (32 in flight), "
          + "%,.0f in batches of 100 (8 in flight)", intake.single(), intake.batched()));
      report.figure("intake one per request, events/s", engine.label, intake.single(), "%,.0f");
      report.figure("intake in batches of 100, events/s", engine.label, intake.batched(), "%,.0f");
    });
    for (EngineUnderTest engine : engines) {
      long heap = engine.heapMiB();
      report.line(engine.label, "memory", "peak RSS " + engine.peakRssMiB() + " MiB, heap used now " + heap
          + " MiB (-Xmx" + options.heap() + ")");
      report.figure("peak RSS, MiB", engine.label, engine.peakRssMiB(), "%,.0f");
      report.figure("duplicates", engine.label, engine.receiver().duplicates(), "%,.0f");
      Tally tally = tallies.get(engine);
      report.figure("delivery phases balanced", engine.label, tally.balanced + " of " + tally.phases);
      report.figure("delivery phases disturbed by other processes", engine.label, tally.disturbed + " of " + tally.phases);
      report.figure("delivery phases with disk syncs over 100 ms", engine.label, tally.diskStalled + " of " + tally.phases);
    }
  }

  /**
   * Waits until the engines, just started, have done compiling and migrating: each under a tenth of a core for a
   * second, or 30 s at most. Otherwise the engine started last would still be starting while the first one is
   * warmed up and measured beside it, on two cores.
   */
  private void awaitQuietEngines() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long before = ProcessCpu.childrenMicros();
    while (System.nanoTime() < deadline) {
      Thread.sleep(1000);
      long now = ProcessCpu.childrenMicros();
      if (now - before < 100_000L * engines.size()) {
        return;
      }
      before = now;
    }
  }

  /**
   * Unmeasured warm-up of the delivery path (the closed loops warm the API paths the same way), in rounds at
   * {@link #BATCHED_WARM_UP_RATE} in batches of {@link #BATCHED_WARM_UP_SIZE}, then at 1,000/s one per request, each
   * until the JIT has settled: a round in which the engine's compilers worked less than
   * {@link #SETTLED_COMPILATION} of its length, or {@link #WARM_UP_ROUNDS} rounds. One fixed round, as until
   * 2026-12-02, was not enough on a slow machine: PrintCompilation showed 2,556 compilations (680 by C2) during the
   * 30 s latency phase that followed it, and C2 took 28 % of the machine's CPU there (perf), more than PostgreSQL. A
   * server that runs for months is measured cold only in its first minute; the warm-up lines show that minute.
   */
  private void warmUp(EngineUnderTest engine, Duration round) throws Exception {
    // Batches first, one per request last, as the phase right after the warm-up is the one-per-request latency phase.
    // The order does not explain that phase's late first second, though: warmed batches last (run F3) the candidate
    // compiled 2.5 s there with 316 deliveries over 100 ms late in second 0, warmed one per request last (run F4)
    // 2.0 s with 529.
    warmUp(engine, round, BATCHED_WARM_UP_RATE, BATCHED_WARM_UP_SIZE);
    if (!engine.stuck()) {
      warmUp(engine, round, LATENCY_RATE, 1);
    }
  }

  /** Warm-up rounds at {@code rate} in batches of {@code batch} until the JIT has settled. */
  private void warmUp(EngineUnderTest engine, Duration round, double rate, int batch) throws Exception {
    String at = " at " + (int) rate + "/s" + (batch > 1 ? ", " + batch + " per request" : "");
    OptionalDouble before = engine.compilationMillis();
    for (int n = 1; n <= WARM_UP_ROUNDS; n++) {
      deliver(engine, "warm-up " + n + at, rate, round, batch, false);
      if (engine.stuck()) {
        return; // its queue never emptied: every later phase says so, one more round would only wait again
      }
      OptionalDouble after = engine.compilationMillis();
      if (before.isEmpty() || after.isEmpty()) {
        report.line(engine.label, "warm-up", "one round: the engine does not report its JIT compilation time");
        return;
      }
      double compiled = after.getAsDouble() - before.getAsDouble();
      boolean settled = compiled < SETTLED_COMPILATION * round.toMillis();
      report.line(engine.label, "", String.format(Locale.ROOT, "JIT compilation in this round: %,.0f ms%s", compiled,
          settled ? ", settled" : n == WARM_UP_ROUNDS ? ", still compiling after " + n + " rounds; measuring anyway"
              : ""));
      if (settled) {
        return;
      }
      before = after;
    }
  }

  /** Each engine's search, one phase per engine and round, until every search is over. */
  private void search(Duration phase) throws Exception {
    boolean searching = true;
    while (searching) {
      searching = false;
      for (EngineUnderTest engine : turnOrder()) {
        RateSearch search = searches.get(engine);
        OptionalDouble next = search.next();
        if (next.isEmpty() || engine.stuck()) {
          continue;
        }
        searching = true;
        double rate = next.getAsDouble();
        DeliveryPhase at = deliver(engine, "deliveries at " + (int) rate + "/s", rate, phase, batch(rate), true);
        search.record(rate, at.sustained());
        if (at.sustained()) {
          sustained.get(engine).put(rate, at);
        }
        if (engine.stuck()) {
          search.abandon();
          report.line(engine.label, "search stopped", "the queue did not empty within 5 minutes of the last publish");
        }
      }
    }
    for (EngineUnderTest engine : engines) {
      double rate = searches.get(engine).highestSustained();
      report.line(engine.label, "sustained durable rate", String.format(Locale.ROOT, "%,.0f deliveries/s = %.0f %% of "
          + "the raw limit (tried: %s)", rate, 100 * rate / rawLimit, searches.get(engine).history()));
      report.figure("sustained rate, deliveries/s", engine.label, rate, "%,.0f");
      report.figure("sustained rate, % of the raw limit", engine.label, 100 * rate / rawLimit, "%.0f %%");
      DeliveryPhase at = sustained.get(engine).get(rate);
      if (at != null) {
        latencyFigures(engine, "at the sustained rate", at);
      }
    }
  }

  /**
   * Costs per delivery at the highest rate every engine tried and sustained, so they compare like with like; failing
   * such a rate, each engine's costs at its own highest sustained rate.
   */
  private void commonRateCosts() {
    List<Double> common = new ArrayList<>(sustained.get(engines.get(0)).keySet());
    engines.forEach(engine -> common.retainAll(sustained.get(engine).keySet()));
    for (EngineUnderTest engine : engines) {
      Map<Double, DeliveryPhase> phases = sustained.get(engine);
      if (!common.isEmpty()) {
        double rate = common.get(common.size() - 1);
        costFigures(engine, String.format(Locale.ROOT, "at %,.0f/s", rate), phases.get(rate).cost());
      } else if (!phases.isEmpty()) {
        costFigures(engine, "at the sustained rate", phases.get(searches.get(engine).highestSustained()).cost());
      }
    }
  }

  /**
   * One delivery phase on {@code engine}, printed with its cost; null if the engine is stuck. A measured phase during
   * which other processes took much of the machine is run once more, and the second run counts: on a shared machine,
   * other processes taking 31 % of it put one engine's p50 at half its sustained rate at 1,300 ms instead of 9 ms. Measured phases count
   * towards the engine's tallies; the warm-up does not. A measured phase follows a {@link #LEAD_IN} at its rate (the
   * lead-in itself, not sustained, if its queue never emptied).
   */
  private DeliveryPhase deliver(EngineUnderTest engine, String what, double rate, Duration duration, int batch,
      boolean measured) throws Exception {
    if (engine.stuck()) {
      report.line(engine.label, what, "skipped: an earlier phase's queue never emptied");
      return null;
    }
    if (measured) {
      DeliveryPhase lead = engine.deliver(rate, LEAD_IN, batch);
      report.line(engine.label, "lead-in, " + LEAD_IN.toSeconds() + " s unmeasured", lead.describe());
      if (engine.stuck()) {
        return lead;
      }
    }
    OptionalDouble compiledBefore = engine.compilationMillis();
    DeliveryPhase phase = engine.deliver(rate, duration, batch);
    print(engine, what, phase, compiledBefore);
    if (measured) {
      tallies.get(engine).count(phase);
      if (phase.cost().disturbed() && !engine.stuck()) {
        compiledBefore = engine.compilationMillis();
        phase = engine.deliver(rate, duration, batch);
        print(engine, what + ", again", phase, compiledBefore);
        tallies.get(engine).count(phase);
      }
    }
    return phase;
  }

  /**
   * The phase's lines; a measured phase's cost line also gives the engine's JIT compilation time in it, since a
   * rate or batch size the warm-up did not run makes C2 compile again, and on two cores that shows as late deliveries.
   */
  private void print(EngineUnderTest engine, String what, DeliveryPhase phase, OptionalDouble compiledBefore)
      throws Exception {
    String verdict = what.startsWith("deliveries at") ? (phase.sustained() ? "sustained: " : "NOT sustained: ") : "";
    report.line(engine.label, what, verdict + phase.describe());
    OptionalDouble compiledAfter = engine.compilationMillis();
    String compiled = compiledBefore.isEmpty() || compiledAfter.isEmpty() || what.startsWith("warm-up") ? ""
        : String.format(Locale.ROOT, "; JIT compilation %,.0f ms", compiledAfter.getAsDouble()
            - compiledBefore.getAsDouble());
    report.line(engine.label, "", phase.cost().describe() + compiled);
  }

  private void latencyFigures(EngineUnderTest engine, String where, DeliveryPhase phase) {
    figure(where + ": p50, ms", engine, phase.percentile(0.50), "%,.1f");
    figure(where + ": p99, ms", engine, phase.percentile(0.99), "%,.1f");
    report.figure(where + ": balanced", engine.label, phase.balanced() ? "yes" : "NO (VOID)");
  }

  private void costFigures(EngineUnderTest engine, String where, PhaseCost cost) {
    figure(where + ": WAL bytes per delivery", engine, cost.walBytes(), "%,.0f");
    figure(where + ": engine CPU µs per delivery", engine, cost.engineMicros(), "%,.0f");
    figure(where + ": PostgreSQL CPU µs per delivery", engine, cost.postgresMicros(), "%,.0f");
    figure(where + ": commits per delivery", engine, cost.commits(), "%.2f");
    figure(where + ": writing transactions per delivery", engine, cost.writeTransactions(), "%.2f");
  }

  /** A figure of the table; one taken at a rate of the engine's own (its sustained rate, half of it) gets no ratio. */
  private void figure(String measure, EngineUnderTest engine, double value, String format) {
    report.figure(measure, engine.label, value, format);
    if (measure.contains("sustained rate:")) {
      report.withoutRatio(measure);
    }
  }

  /** Batches of about 1 % of the rate per request, as a producer under load would send them. */
  private static int batch(double rate) {
    return Math.max(1, (int) (rate / 100));
  }

  /** The engines in this turn's order: as given, then reversed, and so on. */
  private List<EngineUnderTest> turnOrder() {
    List<EngineUnderTest> order = new ArrayList<>(engines);
    if (turn++ % 2 == 1) {
      java.util.Collections.reverse(order);
    }
    return order;
  }

  private void each(Measurement measurement) throws Exception {
    for (EngineUnderTest engine : turnOrder()) {
      measurement.take(engine);
    }
  }

  /**
   * An engine's measured delivery phases, repeats included: how many, how many balanced, how many disturbed, in how
   * many the disk stalled.
   */
  private static final class Tally {
    private int phases;
    private int balanced;
    private int disturbed;
    private int diskStalled;

    void count(DeliveryPhase phase) {
      phases++;
      balanced += phase.balanced() ? 1 : 0;
      disturbed += phase.cost().disturbed() ? 1 : 0;
      diskStalled += phase.diskStalls().isEmpty() ? 0 : 1;
    }
  }

  @FunctionalInterface
  private interface Measurement {
    void take(EngineUnderTest engine) throws Exception;
  }
}
