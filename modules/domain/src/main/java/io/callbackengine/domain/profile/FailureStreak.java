package io.callbackengine.domain.profile;

import java.time.Duration;
import java.time.Instant;

/**
 * A profile's current run of failed attempts. A streak is continuous while failures follow each other closer than
 * the auto-disable window; a longer quiet gap starts a new one, and any success ends it. The engine auto-disables
 * a profile whose streak spans at least the window with at least the configured number of failures:
 * <pre>
 *   disable ⇔ count ≥ failures  ∧  lastFailureAt − since ≥ window
 * </pre>
 * so a receiver that fails now and then, more than a window apart, is never disabled.
 */
public record FailureStreak(int count, Instant since, Instant lastFailureAt) {

  public static final FailureStreak NONE = new FailureStreak(0, null, null);

  public FailureStreak afterFailure(Instant at, Duration window) {
    if (count == 0 || lastFailureAt == null || Duration.between(lastFailureAt, at).compareTo(window) >= 0) {
      return new FailureStreak(1, at, at);
    }
    return new FailureStreak(count + 1, since, at.isAfter(lastFailureAt) ? at : lastFailureAt);
  }

  public FailureStreak afterSuccess() {
    return NONE;
  }

  /** The auto-disable rule of API.md §7, with both numbers from configuration. */
  public record Policy(Duration window, int failures) {
    public Policy {
      if (window.isNegative() || failures < 1) {
        throw new IllegalArgumentException("auto-disable needs a window >= 0 and at least 1 failure");
      }
    }

    public boolean disables(FailureStreak streak) {
      return streak.count >= failures && streak.since != null
          && Duration.between(streak.since, streak.lastFailureAt).compareTo(window) >= 0;
    }
  }
}
