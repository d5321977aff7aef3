package io.callbackengine.store.retention;

import static io.callbackengine.store.PgTimestamps.utc;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Partition maintenance of the three logs (API.md §10): creates partitions ahead of time, drops those past the
 * retention, and prunes the default partitions. One process at a time runs it (a transaction-scoped advisory lock;
 * the others skip their turn), so many engines on one database never race.
 *
 * <p>Dropping a range keeps what must outlive it: the events and the earlier attempts of deliveries still in the
 * queue (a held delivery may wait for months) are copied out of the partition before it is dropped, and land in the
 * default partition ({@code <log>_retained}), where they stay until their delivery is finished and past the
 * retention. The queue itself is never partitioned and never expired. Finished deliveries have nothing to keep.
 *
 * <p>A run with something to drop or create holds an exclusive lock on the logs for as long as that takes (a few
 * DDL statements, and the survivors' copy: index look-ups, one per unfinished delivery of a dropped range), and gives
 * up after {@link #LOCK_TIMEOUT} rather than queue traffic behind it; the next run tries again. A run with nothing
 * to do takes no lock at all.
 */
public final class PgPartitions {

  /** The partitioned logs, each with the column it is partitioned by. */
  private static final List<String> LOGS = List.of("event_log", "delivery_log", "attempt_log");
  private static final String LOCK_TIMEOUT = "2s";

  /**
   * The logs' locks, parents first (which covers their partitions), in the one order every statement that touches
   * more than one log follows: delivery_log, attempt_log, event_log. Detaching a partition alone would lock the
   * partition before its parent, and deadlock with a statement that holds the parent and routes a row to it.
   */
  private static final String LOCK_LOGS = "lock table delivery_log, attempt_log, event_log in access exclusive mode";
  private static final String LOCK = """
      select pg_try_advisory_xact_lock(hashtext(current_schema() || '.partition-maintenance'))
      """;
  private static final String PARTITIONS = """
      select c.relname from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_class parent on parent.oid = i.inhparent
        join pg_namespace n on n.oid = parent.relnamespace
       where n.nspname = current_schema() and parent.relname = 'event_log'
      """;
  /** The newest row each default partition holds from {@code $1} on: a new range must start after it. */
  private static final String NEWEST_RETAINED = """
      select greatest((select max(created_at) from event_log_retained where created_at >= $1),
                      (select max(created_at) from delivery_log_retained where created_at >= $1),
                      (select max(delivery_created_at) from attempt_log_retained where delivery_created_at >= $1))
      """;
  /** The events of unfinished deliveries: in the queue, or handed over at publish and not yet recorded. */
  private static final String KEEP_EVENTS = """
      insert into event_log select * from %s
       where (event_id, created_at) in (select event_id, event_created_at from delivery_queue
                                         where event_created_at >= $1 and event_created_at < $2
                                        union all
                                        select unnest(event_ids), accepted_at from delivery_handoff
                                         where accepted_at >= $1 and accepted_at < $2)
      """;
  private static final String KEEP_ATTEMPTS = """
      insert into attempt_log select * from %s
       where delivery_id in (select delivery_id from delivery_queue where created_at >= $1 and created_at < $2)
      """;
  private static final List<String> PRUNE_RETAINED = List.of("""
      delete from delivery_log_retained where created_at < $1
      """, """
      delete from attempt_log_retained a
       where a.delivery_created_at < $1 and not exists (select 1 from delivery_queue q where q.delivery_id = a.delivery_id)
      """, """
      delete from event_log_retained e
       where e.created_at < $1
         and not exists (select 1 from delivery_queue q where q.event_id = e.event_id and q.event_created_at = e.created_at)
         and not exists (select 1 from delivery_handoff h where h.accepted_at = e.created_at and e.event_id = any(h.event_ids))
      """);
  private static final String QUEUE_VACUUM_LOCK = """
      select pg_try_advisory_lock(hashtext(current_schema() || '.queue-vacuum'))
      """;
  /**
   * The queue vacuum's pace: autovacuum's, 2 ms of rest per 200 units of page work (PostgreSQL's default cost limit).
   * Unpaced, as a manual VACUUM is, it took a core at once every ten seconds, and with two cores the deliveries of that
   * moment waited: at 2,250/s the seconds with deliveries over 100 ms were those of the vacuums. By the cost model
   * (20 units per page dirtied) the 6,000 or so pages that ten seconds at 13,000 deliveries/s dirty cost it about 1.2 s
   * of rest, so it keeps up (an estimate: not measured at that rate); a run still going when the next is due makes
   * that one skip (the lock below).
   */
  private static final String QUEUE_VACUUM_PACE = "set vacuum_cost_delay = '2ms'";
  private static final String QUEUE_VACUUM_DONE = """
      reset vacuum_cost_delay; select pg_advisory_unlock(hashtext(current_schema() || '.queue-vacuum'))
      """;
  private static final String SCHEMA_BYTES = """
      select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = current_schema() and c.relkind in ('r', 'm')
      """;

  private final Pool pool;
  private final RetentionPolicy policy;
  private final Clock clock;

  public PgPartitions(Pool pool, RetentionPolicy policy, Clock clock) {
    this.pool = pool;
    this.policy = policy;
    this.clock = clock;
  }

  /** What one run did; {@code ran} is false when another process held the maintenance lock. */
  public record Maintenance(boolean ran, int created, int dropped, long kept, long pruned) {
    static final Maintenance SKIPPED = new Maintenance(false, 0, 0, 0, 0);

    Maintenance withPruned(long rows) {
      return new Maintenance(ran, created, dropped, kept, rows);
    }
  }

  /** One maintenance run: {@link #arrange()}, then {@link #prune(Maintenance)}. */
  public Future<Maintenance> maintain() {
    return arrange().compose(this::prune);
  }

  /**
   * The part of a run that writes depend on, and so the part a start waits for: drop expired ranges (keeping
   * survivors) and create the ranges ahead.
   */
  public Future<Maintenance> arrange() {
    return arrange(clock.instant());
  }

  /**
   * The rest of the run {@code arranged} began: prune the retained rows past the retention, unless another process
   * held the maintenance lock.
   */
  public Future<Maintenance> prune(Maintenance arranged) {
    return !arranged.ran() ? Future.succeededFuture(arranged)
        : pool.withTransaction(tx -> locked(tx).compose(mine -> mine
                ? prune(tx, clock.instant().minus(policy.retention())) : Future.succeededFuture(0L)))
            .map(arranged::withPruned);
  }

  private Future<Maintenance> arrange(Instant now) {
    Instant cutoff = now.minus(policy.retention());
    return pool.withTransaction(tx -> locked(tx).compose(mine -> !mine ? Future.succeededFuture(Maintenance.SKIPPED)
        : tx.query("set local lock_timeout = '" + LOCK_TIMEOUT + "'").execute()
            .compose(set -> ranges(tx))
            .compose(ranges -> {
              int expired = (int) ranges.stream().filter(r -> !r.to().isAfter(cutoff)).count();
              if (expired == 0 && !needsRangesAhead(ranges, now)) {
                return Future.succeededFuture(new Maintenance(true, 0, 0, 0, 0));
              }
              return tx.query(LOCK_LOGS).execute()
                  .compose(logsLocked -> dropExpired(tx, ranges, cutoff))
                  .compose(kept -> createAhead(tx, ranges, now)
                      .map(created -> new Maintenance(true, created, expired, kept, 0)));
            })));
  }

  /**
   * Vacuums the queue and the handoff rows, unless another process is doing it, and with {@code analyze} refreshes
   * their statistics too. Every delivery that was queued, and every publish that handed deliveries over, leaves a
   * dead row there; the engine does not rely on autovacuum (which may be off, or slow to notice a small busy table)
   * to keep the queue, and the claims that scan it, as small as the backlog. Answers
   * whether it ran.
   *
   * <p>It does not truncate the table's empty tail: that takes an exclusive lock on the queue, which every publish and
   * finish waits behind, and the next inserts grow the table again at once. Free pages are reused instead, and
   * autovacuum, when it runs, still gives back the space a drained backlog left. (One A/B: at 6,000/s right after a
   * 15,000/s overload phase, p99 32.6 against 54.9 ms and no delivery over 100 ms against 101.) Nor does it start
   * parallel workers: forking them every ten seconds takes the cores the deliveries need. It runs at autovacuum's pace
   * ({@link #QUEUE_VACUUM_PACE}).
   */
  public Future<Boolean> vacuumQueue(boolean analyze) {
    return pool.withConnection(connection -> connection.query(QUEUE_VACUUM_LOCK).execute()
        .map(rows -> rows.iterator().next().getBoolean(0))
        .compose(mine -> !mine ? Future.succeededFuture(false)
            : connection.query(QUEUE_VACUUM_PACE).execute()
                .compose(paced -> connection.query(analyze
                    ? "vacuum (truncate false, parallel 0, analyze) delivery_queue, delivery_handoff"
                    : "vacuum (truncate false, parallel 0) delivery_queue, delivery_handoff").execute())
                .eventually(() -> connection.query(QUEUE_VACUUM_DONE).execute())
                .map(true)));
  }

  /** The total size of the engine's schema (tables, their indexes and TOAST), in bytes. */
  public Future<Long> schemaBytes() {
    return pool.query(SCHEMA_BYTES).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** The ranges that have partitions now, oldest first. */
  public Future<List<PartitionRange>> ranges() {
    return pool.withConnection(this::ranges);
  }

  private Future<Boolean> locked(SqlConnection tx) {
    return tx.query(LOCK).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  private Future<List<PartitionRange>> ranges(SqlConnection tx) {
    return tx.query(PARTITIONS).execute().map(rows -> {
      List<PartitionRange> ranges = new ArrayList<>();
      for (Row row : rows) {
        PartitionRange.ofPartition(row.getString(0)).ifPresent(ranges::add);
      }
      ranges.sort(Comparator.comparing(PartitionRange::from));
      return ranges;
    });
  }

  /** Drops every range that ended before {@code cutoff}, oldest first; answers how many rows were kept. */
  private Future<Long> dropExpired(SqlConnection tx, List<PartitionRange> ranges, Instant cutoff) {
    Future<Long> kept = Future.succeededFuture(0L);
    for (PartitionRange range : ranges) {
      if (!range.to().isAfter(cutoff)) {
        kept = kept.compose(sum -> drop(tx, range).map(n -> sum + n));
      }
    }
    return kept;
  }

  private Future<Long> drop(SqlConnection tx, PartitionRange range) {
    Tuple bounds = Tuple.of(utc(range.from()), utc(range.to()));
    String events = range.partitionOf("event_log");
    String attempts = range.partitionOf("attempt_log");
    String deliveries = range.partitionOf("delivery_log");
    return tx.query("alter table event_log detach partition " + events).execute()
        .compose(v -> tx.preparedQuery(KEEP_EVENTS.formatted(events)).execute(bounds))
        .compose(keptEvents -> tx.query("drop table " + events).execute()
            .compose(v -> tx.query("alter table attempt_log detach partition " + attempts).execute())
            .compose(v -> tx.preparedQuery(KEEP_ATTEMPTS.formatted(attempts)).execute(bounds))
            .compose(keptAttempts -> tx.query("drop table " + attempts).execute()
                .compose(v -> tx.query("alter table delivery_log detach partition " + deliveries).execute())
                .compose(v -> tx.query("drop table " + deliveries).execute())
                .map(v -> (long) keptEvents.rowCount() + keptAttempts.rowCount())));
  }

  /** Whether the ranges end less than {@code ahead} (less a width) from now. */
  private boolean needsRangesAhead(List<PartitionRange> ranges, Instant now) {
    return ranges.isEmpty() || !ranges.get(ranges.size() - 1).to().isAfter(now.plus(policy.ahead()).minus(policy.width()));
  }

  /** Creates ranges of one width each, from where the last one ends until {@code ahead} from now. */
  private Future<Integer> createAhead(SqlConnection tx, List<PartitionRange> ranges, Instant now) {
    Instant horizon = now.plus(policy.ahead());
    Optional<Instant> lastEnd = ranges.isEmpty() ? Optional.empty() : Optional.of(ranges.get(ranges.size() - 1).to());
    if (!needsRangesAhead(ranges, now)) {
      return Future.succeededFuture(0);
    }
    // Ranges start where the last one ends, or now: rows of a past gap are in the defaults already.
    Instant thisMinute = now.truncatedTo(ChronoUnit.MINUTES);
    Instant floor = lastEnd.filter(end -> end.isAfter(thisMinute)).orElse(thisMinute);
    // Rows that found no partition went to the defaults: a new range must start after the newest of them.
    Future<Instant> start = lastEnd.isPresent() && lastEnd.get().isAfter(now) ? Future.succeededFuture(floor)
        : tx.preparedQuery(NEWEST_RETAINED).execute(Tuple.of(utc(floor))).map(rows -> {
          OffsetDateTime newest = rows.iterator().next().getOffsetDateTime(0);
          return newest == null ? floor : newest.toInstant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        });
    return start.compose(from -> {
      Future<Integer> created = Future.succeededFuture(0);
      for (Instant at = from; at.isBefore(horizon); at = at.plus(policy.width())) {
        PartitionRange range = new PartitionRange(at, at.plus(policy.width()));
        created = created.compose(n -> create(tx, range).map(n + 1));
      }
      return created;
    });
  }

  private Future<Void> create(SqlConnection tx, PartitionRange range) {
    String bounds = " for values from ('" + range.from() + "') to ('" + range.to() + "')";
    String events = range.partitionOf("event_log");
    Future<Void> done = Future.succeededFuture();
    for (String log : LOGS) {
      done = done.compose(v -> tx.query("create table " + range.partitionOf(log) + " partition of " + log + bounds)
          .execute().mapEmpty());
    }
    // Idempotency of producer ids, per partition (a unique index on the parent would have to include created_at).
    return done.compose(v -> tx.query("create unique index " + events + "_producer_id on " + events
        + " (sid, producer_id) where producer_id is not null").execute().mapEmpty());
  }

  private Future<Long> prune(SqlConnection tx, Instant cutoff) {
    Future<Long> pruned = Future.succeededFuture(0L);
    for (String statement : PRUNE_RETAINED) {
      pruned = pruned.compose(sum -> tx.preparedQuery(statement).execute(Tuple.of(utc(cutoff)))
          .map(rows -> sum + rows.rowCount()));
    }
    return pruned;
  }
}
