package io.callbackengine.bench;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Locale;

/**
 * What one delivery cost during a phase, each figure divided by the deliveries the phase published: WAL bytes
 * PostgreSQL wrote, CPU time of the engine, of PostgreSQL and of the benchmark itself (load generator and receiver),
 * transactions committed in the database, and transactions that wrote (each took a transaction id); and of the WAL,
 * how many full-page images (a page's first change after a checkpoint is logged whole, 8 KiB). And, to tell
 * whether the figures can be trusted, the share of the machine's CPU that other processes took meanwhile: the
 * machine's busy time less PostgreSQL, the benchmark and the engines it started, over wall time × cores.
 *
 * <p>A phase runs from a checkpoint to the end of the vacuum after its drain: its WAL holds the full-page images of
 * the pages it changed first after the checkpoint, and its PostgreSQL CPU and WAL hold the cleaning up of the dead
 * rows it made. The checkpoint's own writing of dirty pages falls between phases and counts nowhere.
 * WAL, transaction ids and PostgreSQL's CPU are the whole server's: another database client during a phase counts
 * too. Commits and full-page images come from {@code pg_stat_database} and {@code pg_stat_wal}, which a backend
 * updates at most once a second while busy and up to 10 s after it went idle, so they trail by up to a second's
 * worth; WAL bytes and transaction ids do not trail.
 *
 * @param otherShare 0 to 1: the machine's CPU capacity other processes used during the phase
 */
record PhaseCost(double walBytes, double fullPageImages, double engineMicros, double postgresMicros,
    double benchMicros, double commits, double writeTransactions, double otherShare) {

  /** More than this share of the machine used by other processes, and a phase's figures are not the engine's alone. */
  private static final double DISTURBED = 0.10;

  static PhaseCost between(Reading before, Reading after, long deliveries) {
    double n = Math.max(1, deliveries);
    double postgres = after.postgresMicros - before.postgresMicros;
    double bench = after.benchMicros - before.benchMicros;
    double other = (after.machineMicros - before.machineMicros) - postgres - bench
        - (after.enginesMicros - before.enginesMicros);
    double capacity = (after.nanos - before.nanos) / 1000.0 * Runtime.getRuntime().availableProcessors();
    return new PhaseCost((after.walLsn - before.walLsn) / n, (after.fullPageImages - before.fullPageImages) / n,
        (after.engineMicros - before.engineMicros) / n,
        postgres / n, bench / n, (after.commits - before.commits) / n, (after.nextXid - before.nextXid) / n,
        Math.max(0, other / capacity));
  }

  /** Whether other processes took enough of the machine to make this phase's figures doubtful. */
  boolean disturbed() {
    return otherShare > DISTURBED;
  }

  String describe() {
    return String.format(Locale.ROOT, "per delivery: WAL %.0f B (%.2f full-page images); CPU engine %.0f µs, "
            + "PostgreSQL %.0f µs, load and receiver %.0f µs; %.2f commits, %.2f writing transactions; other processes "
            + "took %.0f %% of the machine%s", walBytes, fullPageImages, engineMicros, postgresMicros, benchMicros, commits,
        writeTransactions, 100 * otherShare,
        disturbed() ? " (DISTURBED: figures not the engine's alone)" : "");
  }

  /**
   * The counters at one moment; two of them make a {@link PhaseCost}.
   *
   * @param enginesMicros CPU time of every engine the benchmark started, this one and any other
   */
  record Reading(long nanos, long walLsn, long fullPageImages, long nextXid, long commits, long engineMicros,
      long enginesMicros, long postgresMicros, long benchMicros, long machineMicros) {

    /**
     * Reads the database's counters, then the CPU times of the engine (its processes, by pid), of all engines, of
     * PostgreSQL, of this process and of the machine. Blocks: scanning {@code /proc} is file work that must not run on
     * an event loop.
     */
    static Reading take(Pool pool, List<Long> enginePids) throws Exception {
      Row row = Benchmark.await(pool.query("""
              select pg_current_wal_lsn()::text, (select wal_fpi from pg_stat_wal),
                pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
                (select xact_commit from pg_stat_database where datname = current_database())""")
          .execute()).iterator().next();
      return new Reading(System.nanoTime(), lsn(row.getString(0)), row.getLong(1), row.getLong(2), row.getLong(3),
          enginePids.stream().mapToLong(pid -> Math.max(0, ProcessCpu.micros(pid))).sum(),
          ProcessCpu.childrenMicros(), ProcessCpu.postgresMicros(),
          ProcessCpu.micros(ProcessHandle.current().pid()), ProcessCpu.machineMicros());
    }

    /** {@code 16/B374D848} → the WAL position in bytes: high and low 32 bits in hexadecimal. */
    static long lsn(String text) {
      int slash = text.indexOf('/');
      return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
    }
  }
}
