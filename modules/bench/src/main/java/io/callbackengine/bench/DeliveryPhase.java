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
 */
record DeliveryPhase(double rate, int batch, Load.Published published, long delivered, long[] latencies,
    SortedMap<Long, Integer> slowSeconds, long arrivedMillis, long emptyMillis, boolean drained, long vacuumMillis,
    PhaseCost cost) {

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
        + slow();
  }

  /** Where the deliveries slower than 100 ms were sent: "; over 100 ms: 1,234 sent in second 12, 56 in 13". */
  private String slow() {
    if (slowSeconds.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder("; over 100 ms: ");
    int shown = 0;
    for (var second : slowSeconds.entrySet()) {
      if (shown == 6) {
        text.append(", and in ").append(slowSeconds.size() - shown).append(" more seconds");
        break;
      }
      text.append(shown == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d", second.getValue()))
          .append(shown == 0 ? " sent in second " : " in ").append(second.getKey());
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
