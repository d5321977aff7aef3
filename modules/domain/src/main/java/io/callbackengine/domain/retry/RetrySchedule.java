package io.callbackengine.domain.retry;

import io.callbackengine.domain.time.DurationText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to try a failed delivery again: a fixed list of delays, each spread by random jitter so that
 * receivers recovering from an outage are not hit by every retry at once.
 *
 * <p>After {@code n} failed attempts ({@code 1 ≤ n ≤ delays.size()}) the next attempt waits
 * <pre>
 *   scheduled(n) = delays[n − 1] × (1 + jitter × (2r − 1))       r uniform in [0, 1)
 *   delay(n)     = scheduled(n)                                    without Retry-After
 *   delay(n)     = min(max(retryAfter, scheduled(n)), 2 × scheduled(n))   with Retry-After
 * </pre>
 * so the jittered delay lies in {@code [delay × (1 − jitter), delay × (1 + jitter))}, and a receiver's
 * {@code Retry-After} (honoured on 429 and 503) can stretch it to at most twice the schedule but never
 * shorten it. After {@code delays.size()} failures there is no further attempt: a schedule of
 * {@code k} delays allows {@code k + 1} attempts in all, and an empty schedule means no retries.
 * Delays are computed in whole milliseconds.
 *
 * @param delays the wait after the 1st, 2nd, … failed attempt; none negative
 * @param jitter the relative spread, in {@code [0, 1)}: 0.2 means ±20 %
 */
public record RetrySchedule(List<Duration> delays, double jitter) {

  private static final String STANDARD_DELAYS = "5s,5m,30m,2h,5h,10h,10h";
  private static final double STANDARD_JITTER = 0.2;

  public RetrySchedule {
    delays = List.copyOf(Objects.requireNonNull(delays, "delays"));
    for (Duration delay : delays) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("a retry delay cannot be negative: " + delay);
      }
      try {
        delay.toMillis();
      } catch (ArithmeticException tooLong) {
        throw new IllegalArgumentException("a retry delay is too long: " + delay, tooLong);
      }
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
  }

  /** The engine's default: 5s, 5m, 30m, 2h, 5h, 10h, 10h, each ±20 %. */
  public static RetrySchedule standard() {
    return parse(STANDARD_DELAYS, STANDARD_JITTER);
  }

  /**
   * @param delays comma-separated durations as in {@code CALLBACK_RETRY_SCHEDULE}, e.g. {@code 5s,5m,30m}
   * @param jitter the relative spread, in {@code [0, 1)}
   */
  public static RetrySchedule parse(String delays, double jitter) {
    return new RetrySchedule(DurationText.parseList(delays), jitter);
  }

  /** Attempts a delivery gets in all: the first one plus one per delay. */
  public int maxAttempts() {
    return delays.size() + 1;
  }

  /**
   * The wait before the next attempt, by the formula in the type's documentation.
   *
   * @param failedAttempts how many attempts have failed so far, at least 1
   * @param retryAfter     the receiver's Retry-After, which the caller passes only for 429 and 503
   * @param random01       the source of {@code r}, each value in {@code [0, 1)}
   * @return the delay, or empty when the schedule is exhausted and the delivery has failed for good
   */
  public Optional<Duration> delayAfter(int failedAttempts, Optional<Duration> retryAfter, DoubleSupplier random01) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
    }
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (failedAttempts > delays.size()) {
      return Optional.empty();
    }
    double r = random01.getAsDouble();
    if (!(r >= 0 && r < 1)) {
      throw new IllegalArgumentException("random01 must give a value in [0, 1), gave " + r);
    }
    double factor = 1 + jitter * (2 * r - 1);
    Duration scheduled = Duration.ofMillis(Math.round(delays.get(failedAttempts - 1).toMillis() * factor));
    Duration delay = retryAfter.map(asked -> clamp(asked, scheduled, scheduled.multipliedBy(2))).orElse(scheduled);
    return Optional.of(delay);
  }

  private static Duration clamp(Duration value, Duration low, Duration high) {
    Duration atLeastLow = value.compareTo(low) < 0 ? low : value;
    return atLeastLow.compareTo(high) > 0 ? high : atLeastLow;
  }
}
