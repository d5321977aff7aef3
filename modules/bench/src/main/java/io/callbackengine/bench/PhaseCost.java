package io.callbackengine.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Locale;

/**
 * What one delivery cost during a phase, each figure divided by the deliveries the phase published: WAL bytes
 * PostgreSQL wrote, CPU time of the engine, of PostgreSQL and of the benchmark itself (load generator and receiver),
 * transactions committed in the database, and transactions that wrote (each took a transaction id).
 *
 * <p>WAL, transaction ids and PostgreSQL's CPU are the whole server's: anything else using it during a phase counts
 * too. Commits come from {@code pg_stat_database}, which a backend updates at most once a second while busy and
 * up to 10 s after it went idle, so they trail by up to a second's worth; transaction ids do not trail.
 */
record PhaseCost(double walBytes, double engineMicros, double postgresMicros, double benchMicros, double commits,
    double writeTransactions) {

  static PhaseCost between(Reading before, Reading after, long deliveries) {
    double n = Math.max(1, deliveries);
    return new PhaseCost((after.walLsn - before.walLsn) / n, (after.engineMicros - before.engineMicros) / n,
        (after.postgresMicros - before.postgresMicros) / n, (after.benchMicros - before.benchMicros) / n,
        (after.commits - before.commits) / n, (after.nextXid - before.nextXid) / n);
  }

  String describe() {
    return String.format(Locale.ROOT, "per delivery: WAL %.0f B; CPU engine %.0f µs, PostgreSQL %.0f µs, load and "
        + "receiver %.0f µs; %.2f commits, %.2f writing transactions", walBytes, engineMicros, postgresMicros,
        benchMicros, commits, writeTransactions);
  }

  /** The counters at one moment; two of them make a {@link PhaseCost}. */
  record Reading(long walLsn, long nextXid, long commits, long engineMicros, long postgresMicros, long benchMicros) {

    /**
     * Reads the database's counters, then the CPU times of the engine (by pid), of PostgreSQL and of this process.
     * Blocks: scanning {@code /proc} is file work that must not run on an event loop.
     */
    static Reading take(Pool pool, long enginePid) throws Exception {
      Row row = Benchmark.await(pool.query("""
              select pg_current_wal_lsn()::text, pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
                (select xact_commit from pg_stat_database where datname = current_database())""")
          .execute()).iterator().next();
      return new Reading(lsn(row.getString(0)), row.getLong(1), row.getLong(2), ProcessCpu.micros(enginePid),
          ProcessCpu.postgresMicros(), ProcessCpu.micros(ProcessHandle.current().pid()));
    }

    /** {@code 16/B374D848} → the WAL position in bytes: high and low 32 bits in hexadecimal. */
    private static long lsn(String text) {
      int slash = text.indexOf('/');
      return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
    }
  }
}
