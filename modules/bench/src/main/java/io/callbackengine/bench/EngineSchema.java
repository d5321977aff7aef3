package io.callbackengine.bench;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * An engine's schema, read directly over SQL: how much work its queue still holds and how much disk it takes.
 * The queries rely only on {@code deliveries} with a {@code status} column, which the engine has kept through its
 * versions (a table at first, later a view over the queue and the log), so one benchmark reads old and new engines.
 */
final class EngineSchema {

  private final Pool pool;
  final String name;

  /** @param name the schema, as the benchmark generated it (so it can stand in SQL text unquoted) */
  EngineSchema(Pool pool, String name) {
    if (!name.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("not a benchmark schema: " + name);
    }
    this.pool = pool;
    this.name = name;
  }

  /** Deliveries still to be sent: due or not, and those being sent now. */
  Future<Long> queued() {
    return count("status = 'pending' or status = 'delivering'");
  }

  /** Deliveries the engine still keeps open: {@link #queued()} and those held for a disabled profile. */
  Future<Long> open() {
    return count("status = 'pending' or status = 'delivering' or status = 'held'");
  }

  /**
   * Disk taken by the schema's tables with their indexes and TOAST, in MiB. Only tables and materialized views are
   * summed: {@code pg_total_relation_size} already counts a table's indexes and TOAST (which lives in {@code pg_toast},
   * not in this schema), and a partitioned table's own size is zero while its partitions are tables here.
   */
  Future<Double> sizeMiB() {
    return pool.preparedQuery("""
            select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind in ('r', 'm')""")
        .execute(Tuple.of(name)).map(rows -> rows.iterator().next().getLong(0) / 1024.0 / 1024.0);
  }

  /**
   * {@code VACUUM (ANALYZE)} of every table of the schema, as autovacuum would in time: without it (and the
   * benchmark's PostgreSQL has autovacuum off) dead rows pile up phase after phase, and the engine that sustained
   * more was measured slower afterwards, its claims wading through its own dead queue entries. One table at a time,
   * skipping a table the engine has locked, and never failing on one the engine dropped meanwhile (an old partition).
   */
  Future<Void> vacuum() {
    return pool.preparedQuery("""
            select format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relkind in ('r', 'm')""")
        .execute(Tuple.of(name)).compose(rows -> {
          Future<Void> done = Future.succeededFuture();
          for (Row row : rows) {
            String table = row.getString(0);
            done = done.compose(previous -> pool.query("vacuum (analyze, skip_locked) " + table).execute().<Void>mapEmpty()
                .recover(e -> e instanceof PgException pg && pg.getSqlState().equals("42P01")
                    ? Future.succeededFuture() : Future.failedFuture(e)));
          }
          return done;
        });
  }

  Future<Void> drop() {
    return pool.query("drop schema if exists " + name + " cascade").execute().mapEmpty();
  }

  /**
   * Deliveries matching {@code statuses}, written as {@code or}, not {@code in}: PostgreSQL 15 can answer an {@code or}
   * from the partial indexes an engine keeps per status (bitmap or), while {@code in} made it scan every delivery
   * ever made, 200 ms at 150,000 rows, polled every 250 ms while a phase drains.
   */
  private Future<Long> count(String statuses) {
    return pool.query("select count(*) from " + name + ".deliveries where " + statuses).execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
