package io.callbackengine.app;

import io.callbackengine.store.delivery.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from PostgreSQL every few seconds, so every process shows the whole queue:
 * {@code callback_queue_deliveries{state}} (pending, delivering, held), {@code callback_queue_lag_seconds} (age of
 * the oldest due delivery) and {@code callback_profiles{status}}. A failed sample keeps the last values.
 *
 * <p>The counts read every queued delivery's index entry, so a sample costs as much as the queue is long: with the
 * 560,000 held deliveries a benchmark's intake phases leave behind, 50 to 210 ms of PostgreSQL's CPU, every 5 s, in
 * every process. A delivery held for months is the queue's normal case (API.md §10), so the pause between samples
 * stretches with what the last one took ({@link #PAUSE_PER_SAMPLE_TIME} times as long), and counting never takes
 * more than about 1 % of a core however long the queue grows (up to {@link #LONGEST_PAUSE_MS}, so the gauges are never
 * older than a minute or so); a short queue is still sampled every 5 s, and so is a failing database.
 */
final class QueueGauges {

  private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
  static final long PERIOD_MS = 5000;
  /** The pause after a sample, as a multiple of the time it took, when that is longer than {@link #PERIOD_MS}. */
  static final long PAUSE_PER_SAMPLE_TIME = 100;
  static final long LONGEST_PAUSE_MS = 60_000;

  private final AtomicReference<QueueStats> last = new AtomicReference<>(QueueStats.empty());

  static void start(Vertx vertx, Pool pool, MeterRegistry registry) {
    QueueGauges gauges = new QueueGauges();
    for (String state : gauges.last.get().deliveriesByState().keySet()) {
      Gauge.builder("callback.queue.deliveries", gauges, g -> g.last.get().deliveriesByState().get(state))
          .description("Deliveries waiting or in flight, by state").tag("state", state).register(registry);
    }
    Gauge.builder("callback.queue.lag", gauges, g -> g.last.get().lagSeconds()).baseUnit("seconds")
        .description("Age of the oldest due delivery not yet attempted").register(registry);
    for (String status : gauges.last.get().profilesByStatus().keySet()) {
      Gauge.builder("callback.profiles", gauges, g -> g.last.get().profilesByStatus().get(status))
          .description("Profiles by status").tag("status", status).register(registry);
    }
    gauges.sampleThenPause(vertx, pool);
  }

  /** How long to wait after a sample that succeeded in {@code tookMillis}. */
  static long pauseAfter(long tookMillis) {
    return Math.min(LONGEST_PAUSE_MS, Math.max(PERIOD_MS, tookMillis * PAUSE_PER_SAMPLE_TIME));
  }

  private void sampleThenPause(Vertx vertx, Pool pool) {
    long started = System.nanoTime();
    QueueStats.sample(pool)
        .onSuccess(last::set)
        .onFailure(e -> LOG.debug("Sampling queue gauges failed: {}", e.toString()))
        .onComplete(done -> vertx.setTimer(
            done.succeeded() ? pauseAfter((System.nanoTime() - started) / 1_000_000) : PERIOD_MS,
            id -> sampleThenPause(vertx, pool)));
  }
}
