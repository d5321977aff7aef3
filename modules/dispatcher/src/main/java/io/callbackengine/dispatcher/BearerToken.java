package io.callbackengine.dispatcher;

import java.time.Duration;
import java.time.Instant;

/**
 * A token obtained for a profile, and when to stop using it: 30 s before it expires, or a tenth of its lifetime
 * when that is less, so a callback never leaves with a token about to lapse in flight. {@link #toString()} never
 * shows the token.
 */
record BearerToken(String value, Instant obtainedAt, Duration lifetime) {

  private static final Duration MARGIN = Duration.ofSeconds(30);

  Instant refreshAt() {
    Duration tenth = lifetime.dividedBy(10);
    return obtainedAt.plus(lifetime).minus(tenth.compareTo(MARGIN) < 0 ? tenth : MARGIN);
  }

  boolean usableAt(Instant now) {
    return now.isBefore(refreshAt());
  }

  String authorization() {
    return "Bearer " + value;
  }

  @Override
  public String toString() {
    return "BearerToken[lifetime " + lifetime + "]";
  }
}
