package io.callbackengine.store.retention;

import java.time.Duration;

/**
 * How long finished deliveries, their attempts and their events are kept (API.md §10), and what that makes of the
 * partitions. Each partition spans {@code width} = a quarter of the retention, in whole minutes, at least a minute
 * and at most a day, so a row outlives the retention by at most one width (plus one {@code checkInterval}).
 * Partitions are created {@code ahead} of time (three widths and five minutes), so that a missed maintenance run
 * never leaves new rows without one.
 */
public record RetentionPolicy(Duration retention, Duration width, Duration ahead, Duration checkInterval) {

  private static final Duration MIN_WIDTH = Duration.ofMinutes(1);
  private static final Duration MAX_WIDTH = Duration.ofDays(1);

  public RetentionPolicy {
    if (retention.compareTo(MIN_WIDTH) < 0) {
      throw new IllegalArgumentException("CALLBACK_RETENTION must be at least 1m, not " + retention.toSeconds() + "s");
    }
  }

  public static RetentionPolicy of(Duration retention) {
    Duration quarter = retention.dividedBy(4);
    Duration width = Duration.ofMinutes(Math.max(MIN_WIDTH.toMinutes(), Math.min(MAX_WIDTH.toMinutes(), quarter.toMinutes())));
    Duration ahead = width.multipliedBy(3).plusMinutes(5);
    Duration half = width.dividedBy(2);
    Duration checkInterval = half.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1)
        : half.compareTo(Duration.ofSeconds(15)) < 0 ? Duration.ofSeconds(15) : half;
    return new RetentionPolicy(retention, width, ahead, checkInterval);
  }
}
