package io.callbackengine.producer;

import java.time.Duration;

/**
 * How {@link EventPublisher} waits and retries. An attempt gets {@link #timeout} for its reply; an attempt that got
 * none (timeout), found no engine (no handlers) or failed on the engine's side (a 5xx failure code) is repeated with
 * the same id, up to {@link #maxAttempts} in all. Before attempt {@code n + 1} it waits
 *
 * <pre>  min(maxBackoff, firstBackoff × 2^(n−1)) × (1 + jitter × (2r − 1)),  r uniform in [0, 1)</pre>
 *
 * <p>so with the defaults 0.2 s, 0.4 s, 0.8 s, 1.6 s (±20 %), then 2 s, each on top of the failed attempt's own
 * time. Immutable.
 */
public record PublishOptions(Duration timeout, int maxAttempts, Duration firstBackoff, Duration maxBackoff,
    double jitter) {

  /** 5 s per attempt (the engine's own HTTP request deadline), 5 attempts, backoff from 200 ms to 2 s, ±20 %. */
  public static final PublishOptions DEFAULT =
      new PublishOptions(Duration.ofSeconds(5), 5, Duration.ofMillis(200), Duration.ofSeconds(2), 0.2);

  public PublishOptions {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt");
    }
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be 0 ≤ first ≤ max");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1)");
    }
  }

  public PublishOptions withTimeout(Duration timeout) {
    return new PublishOptions(timeout, maxAttempts, firstBackoff, maxBackoff, jitter);
  }

  public PublishOptions withMaxAttempts(int maxAttempts) {
    return new PublishOptions(timeout, maxAttempts, firstBackoff, maxBackoff, jitter);
  }

  public PublishOptions withBackoff(Duration first, Duration max) {
    return new PublishOptions(timeout, maxAttempts, first, max, jitter);
  }

  /**
   * The wait before the attempt after {@code failedAttempts} failed ones (1 or more), for a uniform {@code random}
   * in [0, 1): the formula above.
   */
  public Duration backoff(int failedAttempts, double random) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("no attempt failed yet");
    }
    double base = firstBackoff.toNanos() * Math.pow(2, Math.min(failedAttempts - 1, 30));
    double capped = Math.min(maxBackoff.toNanos(), base);
    return Duration.ofNanos(Math.round(capped * (1 + jitter * (2 * random - 1))));
  }
}
