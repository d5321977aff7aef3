package io.callbackengine.bench;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A long run at a steady rate, to see what time does to the engine: whether its schema keeps growing (an engine with
 * a retention period should level off once the first deliveries age out; one without grows for ever), whether the
 * queue stays short, and whether everything still arrives exactly once. Publishes open loop for the whole duration
 * and prints a line every 30 s, vacuuming the schema first (so the size is the engine's, not a server without
 * autovacuum's); ends by itself once the backlog is worked off.
 */
final class Soak {

  private static final Duration INTERVAL = Duration.ofSeconds(30);

  private final Report report;

  Soak(Report report) {
    this.report = report;
  }

  /** Soaks {@code engine} at {@code rate} deliveries/s for {@code duration}; the summary goes to the report's table. */
  void run(EngineUnderTest engine, double rate, Duration duration) throws Exception {
    ArrivalRecorder receiver = engine.receiver();
    receiver.takeLatencies();
    int arrivedBefore = receiver.distinctArrivals();
    long started = System.nanoTime();
    Future<Load.Published> publishing = engine.publish(rate, duration, Math.max(1, (int) (rate / 100)));
    Sampler sampler = new Sampler(engine, started, arrivedBefore);
    long nextSample = started + INTERVAL.toNanos();
    while (!publishing.isComplete()) {
      if (System.nanoTime() >= nextSample) {
        sampler.sample("soak at");
        nextSample += INTERVAL.toNanos();
      }
      Thread.sleep(200);
    }
    Load.Published published = Benchmark.await(publishing);
    engine.awaitArrivals(arrivedBefore + published.deliveries(), Duration.ofSeconds(60));
    boolean drained = engine.awaitEmptyQueue();
    sampler.sample("soak drained at");
    long delivered = receiver.distinctArrivals() - arrivedBefore;
    boolean balanced = drained && published.failedRequests() == 0 && delivered == published.deliveries();
    report.line(engine.label, "soak over", String.format(Locale.ROOT, "published %d = delivered %d + missing %d%s; "
            + "%d duplicates; queue %s", published.deliveries(), delivered, published.deliveries() - delivered,
        published.failedRequests() > 0 ? ", " + published.failedRequests() + " publish requests failed" : "",
        receiver.duplicates(), drained ? "empty" : "NEVER emptied"));
    report.figure("soak: deliveries/s asked", engine.label, rate, "%,.0f");
    report.figure("soak: deliveries published", engine.label, published.deliveries(), "%,.0f");
    report.figure("soak: balanced", engine.label, balanced ? "yes" : "NO (VOID)");
    report.figure("soak: duplicates", engine.label, receiver.duplicates(), "%,.0f");
    report.figure("soak: schema size at the end, MiB", engine.label, sampler.sizes.get(sampler.sizes.size() - 1), "%,.1f");
    report.figure("soak: highest p99 of a 30 s interval after the first, ms", engine.label, sampler.worstP99, "%,.1f");
    report.note("soak size curve, " + engine.label, sampler.sizes.stream()
        .map(size -> String.format(Locale.ROOT, "%.1f", size)).collect(Collectors.joining(", ", "", " MiB (every 30 s, the "
            + "last after the queue emptied)")));
  }

  /**
   * One line per interval: elapsed time, schema size, open deliveries, delivery rate and p99 since the last line.
   * The first interval's p99 is left out of the worst: it is the engine's JIT warming up, not what time did to it.
   */
  private final class Sampler {
    private final EngineUnderTest engine;
    private final long started;
    private final List<Double> sizes = new ArrayList<>();
    private long lastAt;
    private long lastArrivals;
    private double worstP99 = Double.NaN;

    Sampler(EngineUnderTest engine, long started, long arrivals) {
      this.engine = engine;
      this.started = started;
      this.lastAt = started;
      this.lastArrivals = arrivals;
    }

    void sample(String what) throws Exception {
      long now = System.nanoTime();
      long arrivals = engine.receiver().distinctArrivals();
      double seconds = (now - lastAt) / 1e9;
      // As autovacuum would (every minute by default); the benchmark's PostgreSQL may have it off.
      Benchmark.await(engine.schema().vacuum());
      double size = Benchmark.await(engine.schema().sizeMiB());
      long open = Benchmark.await(engine.schema().open());
      long[] latencies = engine.receiver().takeLatencies();
      double p99 = latencies.length == 0 ? Double.NaN
          : latencies[(int) Math.min(latencies.length - 1, 0.99 * latencies.length)] / 1000.0;
      if (!sizes.isEmpty() && !Double.isNaN(p99)) {
        worstP99 = Double.isNaN(worstP99) ? p99 : Math.max(worstP99, p99);
      }
      sizes.add(size);
      report.line(engine.label, what + " " + TimeUnit.NANOSECONDS.toSeconds(now - started) + " s", String.format(
          Locale.ROOT, "schema %.1f MiB, %d deliveries open (pending, delivering, held), %.0f delivered/s, p99 %s",
          size, open, (arrivals - lastArrivals) / seconds,
          Double.isNaN(p99) ? "-" : String.format(Locale.ROOT, "%.1f ms", p99)));
      lastAt = now;
      lastArrivals = arrivals;
    }
  }
}
