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
 */
final class QueueGauges {

  private static final Logger LOG = LoggerFactory.getLogger(QueueGauges.class);
  static final long PERIOD_MS = 5000;

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
    gauges.sample(pool);
    vertx.setPeriodic(PERIOD_MS, id -> gauges.sample(pool));
  }

  private void sample(Pool pool) {
    QueueStats.sample(pool)
        .onSuccess(last::set)
        .onFailure(e -> LOG.debug("Sampling queue gauges failed: {}", e.toString()));
  }
}
