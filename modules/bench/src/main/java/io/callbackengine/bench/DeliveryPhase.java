package io.callbackengine.bench;

import java.util.Locale;
import java.util.SortedMap;

/**
 * One open-loop delivery phase as it ended: what was published, what arrived, the publish→delivery latencies, how
 * long after the last publish everything had arrived and the queue was empty, and the phase's cost per delivery.
 *
 * @param slowSeconds per second of the phase (from its first scheduled send) in which deliveries took longer than
 *     {@link #SLOW_MICROS}, how many did
 * @param arrivedMillis from the last publish acknowledged until every delivery had arrived (at most the receiver
 *     wait; a phase that reaches it is not balanced at that moment, whatever arrives later)
 * @param emptyMillis from the last publish acknowledged until the engine's queue was empty
 * @param drained whether the queue emptied at all; a phase that leaves a backlog would void every phase after it
 * @param vacuumMillis how long the vacuum of the engine's schema after the phase took (its cost is the phase's)
 * @param diskStalls per second of the phase (counted as {@code slowSeconds}) in which a {@link DiskProbe} sync took
 *     longer than {@link #SLOW_MICROS}, the longest such sync in ms
 * @param taken deliveries the engine's dispatchers took during the phase, handed over or claimed: an engine that
 *     falls back on its queue shows it here, and pays for it in WAL and PostgreSQL's CPU
 * @param firstSecond when deliveries sent in second 0 were slow: per tenth of that second, the slowest acknowledgement
 *     and the slowest delivery of those scheduled in it, µs (which of intake or dispatch was late, and when); else
 *     null
 */
record DeliveryPhase(double rate, int batch, Load.Published published, long delivered, long[] latencies,
    SortedMap<Long, Integer> slowSeconds, long arrivedMillis, long emptyMillis, boolean drained, long vacuumMillis,
    PhaseCost cost, SortedMap<Long, Long> diskStalls, EngineUnderTest.Taken taken, long[][] firstSecond) {

  /** A delivery slower than this (the p99 a half-loaded engine should keep) counts towards its second. */
  static final long SLOW_MICROS = 100_000;

  /** Publish→delivery at this quantile, in ms. */
  double percentile(double p) {
    return latencies.length == 0 ? Double.NaN : latencies[(int) Math.min(latencies.length - 1, p * latencies.length)] / 1000.0;
  }

  boolean balanced() {
    return published.failedRequests() == 0 && delivered == published.deliveries();
  }

  /**
   * Sustained: balanced, p99 under a second, and the backlog gone within 2 s of the last publish, so the engine kept
   * up with the rate instead of building a queue it worked off afterwards.
   */
  boolean sustained() {
    return drained && balanced() && percentile(0.99) < 1000 && arrivedMillis < 2000;
  }

  String describe() {
    return String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (acknowledged p50 %.1f, p99 %.1f ms); "
            + "all arrived %d ms and queue empty %s after the last publish, vacuumed in %d ms; %s", percentile(0.50),
        percentile(0.95), percentile(0.99), published.ackPercentile(0.50), published.ackPercentile(0.99), arrivedMillis,
        drained ? emptyMillis + " ms" : "NEVER (gave up after " + emptyMillis / 1000 + " s)", vacuumMillis, balance())
        + slow() + firstTenths() + stalls() + handedOver();
  }

  /** "; second 0 by tenths, slowest acknowledged/delivered ms: 3/12, 180/410, …" when second 0 was slow. */
  private String firstTenths() {
    if (firstSecond == null) {
      return "";
    }
    StringBuilder text = new StringBuilder("; second 0 by tenths, slowest acknowledged/delivered ms:");
    for (int i = 0; i < firstSecond[0].length; i++) {
      text.append(i == 0 ? " " : ", ").append(firstSecond[0][i] / 1000).append('/').append(firstSecond[1][i] / 1000);
    }
    return text.toString();
  }

  /** "; handed over at publish: 97 %" (of the deliveries taken), when the engine reports it. */
  private String handedOver() {
    double share = taken.handedOverShare();
    return Double.isNaN(share) ? "" : String.format(Locale.ROOT, "; handed over at publish: %.0f %%", 100 * share);
  }

  /**
   * Deliveries slower than {@link #SLOW_MICROS} sent in a second in which the disk stalled or in the second before it
   * (a commit begun at the end of one second waits for a sync that stalls early in the next).
   */
  long slowNearDiskStalls() {
    return slowSeconds.entrySet().stream()
        .filter(second -> diskStalls.containsKey(second.getKey()) || diskStalls.containsKey(second.getKey() + 1))
        .mapToLong(java.util.Map.Entry::getValue).sum();
  }

  long slowDeliveries() {
    return slowSeconds.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** Where the deliveries slower than 100 ms were sent: "; over 100 ms: 1,234 sent in second 12, 56 in 13". */
  private String slow() {
    return slowSeconds.isEmpty() ? "" : "; over 100 ms: " + bySecond(slowSeconds, " sent in second ");
  }

  /** "; disk syncs over 100 ms: 215 ms in second 7, 340 in 12 (1,167 of 1,250 slow deliveries sent then or just before)". */
  private String stalls() {
    return diskStalls.isEmpty() ? "" : "; disk syncs over 100 ms: " + bySecond(diskStalls, " ms in second ")
        + String.format(Locale.ROOT, " (%,d of %,d slow deliveries sent then or just before)", slowNearDiskStalls(),
        slowDeliveries());
  }

  /** "1,234{first}12, 56 in 13, …": the first six seconds of {@code perSecond}, and how many more there are. */
  private static String bySecond(SortedMap<Long, ? extends Number> perSecond, String first) {
    StringBuilder text = new StringBuilder();
    int shown = 0;
    for (var second : perSecond.entrySet()) {
      if (shown == 6) {
        text.append(", and in ").append(perSecond.size() - shown).append(" more seconds");
        break;
      }
      text.append(shown == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", second.getValue().longValue()))
          .append(shown == 0 ? first : " in ").append(second.getKey());
      shown++;
    }
    return text.toString();
  }

  String balance() {
    return "published " + published.deliveries() + " = delivered " + delivered + " + missing "
        + (published.deliveries() - delivered) + (published.failedRequests() > 0 ? ", " + published.failedRequests()
        + " publish requests failed" : "") + (balanced() ? "" : " (VOID: not balanced)");
  }
}
