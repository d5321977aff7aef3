package io.callbackengine.app;

import io.callbackengine.store.retention.PgPartitions;
import io.callbackengine.store.retention.RetentionPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs partition maintenance (API.md §10) at start-up and then every {@link RetentionPolicy#checkInterval()}, in
 * every process (the store lets one at a time do it), and reports it: {@code callback_retention_partitions_total
 * {action}} (created, dropped), {@code callback_retention_rows_total{action}} (kept: moved out of a dropped partition
 * because their delivery is unfinished; pruned: deleted from the default partitions) and
 * {@code callback_storage_schema_bytes}, the size of the engine's schema. It also vacuums the queue (and the
 * hand-offs' rows) every
 * {@link #QUEUE_VACUUM_INTERVAL}, analyzing it every {@link #ANALYZE_EVERY}th time (see
 * {@link PgPartitions#vacuumQueue(boolean)}).
 */
final class StorageMaintenance {

  private static final Logger LOG = LoggerFactory.getLogger(StorageMaintenance.class);
  static final Duration QUEUE_VACUUM_INTERVAL = Duration.ofSeconds(10);
  /** Every how many vacuums of the queue also analyze it. */
  private static final int ANALYZE_EVERY = 6;

  private final PgPartitions partitions;
  private final Counter created;
  private final Counter dropped;
  private final Counter kept;
  private final Counter pruned;
  private final AtomicLong schemaBytes = new AtomicLong();

  private StorageMaintenance(PgPartitions partitions, MeterRegistry registry) {
    this.partitions = partitions;
    this.created = partitionCounter(registry, "created");
    this.dropped = partitionCounter(registry, "dropped");
    this.kept = rowCounter(registry, "kept");
    this.pruned = rowCounter(registry, "pruned");
    Gauge.builder("callback.storage.schema", schemaBytes, AtomicLong::get).baseUnit("bytes")
        .description("Size of the engine's schema: tables, indexes and TOAST").register(registry);
  }

  /**
   * Runs once now, then periodically. The future completes (done or failed) once the ranges are arranged, which is
   * what writes need; a start does not wait for the pruning and the schema's size, which follow in the background.
   */
  static Future<Void> start(Vertx vertx, PgPartitions partitions, RetentionPolicy policy, MeterRegistry registry) {
    StorageMaintenance maintenance = new StorageMaintenance(partitions, registry);
    // Its statistics once a minute: analyzing with every vacuum took a tenth of PostgreSQL's CPU at 2,000
    // deliveries/s, and the claims' plans do not change with a queue's size from one ten seconds to the next.
    long[] vacuums = {0};
    vertx.setPeriodic(QUEUE_VACUUM_INTERVAL.toMillis(), id -> partitions
        .vacuumQueue(vacuums[0]++ % ANALYZE_EVERY == 0)
        .onFailure(e -> LOG.debug("Vacuuming the queue failed, trying again later: {}", e.toString())));
    Future<PgPartitions.Maintenance> arranged = partitions.arrange();
    maintenance.report(arranged.compose(partitions::prune))
        .onComplete(first -> vertx.setPeriodic(policy.checkInterval().toMillis(),
            id -> maintenance.report(partitions.maintain())));
    return arranged.<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> report(Future<PgPartitions.Maintenance> run) {
    return run
        .onSuccess(done -> {
          created.increment(done.created());
          dropped.increment(done.dropped());
          kept.increment(done.kept());
          pruned.increment(done.pruned());
          if (done.dropped() > 0 || done.pruned() > 0) {
            LOG.info("Retention: dropped {} partition ranges ({} rows of unfinished deliveries kept), pruned {} rows, "
                + "created {} ranges ahead", done.dropped(), done.kept(), done.pruned(), done.created());
          }
        })
        .onFailure(e -> LOG.warn("Partition maintenance failed, trying again at the next run: {}", e.toString()))
        .compose(done -> partitions.schemaBytes(), failed -> partitions.schemaBytes())
        .onSuccess(schemaBytes::set)
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  private static Counter partitionCounter(MeterRegistry registry, String action) {
    return Counter.builder("callback.retention.partitions").description("Log partition ranges created or dropped")
        .tag("action", action).register(registry);
  }

  private static Counter rowCounter(MeterRegistry registry, String action) {
    return Counter.builder("callback.retention.rows")
        .description("Rows kept from dropped partitions (unfinished deliveries) or pruned from the default partitions")
        .tag("action", action).register(registry);
  }
}
