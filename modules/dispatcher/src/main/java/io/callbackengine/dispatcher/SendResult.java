package io.callbackengine.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What happened on the wire for one attempt: the receiver's status (null when no response came) or the error,
 * up to 4 KiB of what it answered, and a {@code Retry-After} it asked for.
 */
public record SendResult(Instant startedAt, int durationMs, Integer httpStatus, String error, String excerpt,
    Optional<Duration> retryAfter) {

  public boolean succeeded() {
    return httpStatus != null && httpStatus >= 200 && httpStatus < 300;
  }
}
