package io.callbackengine.store.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * How one attempt ended and what happens next, as the dispatcher decided it: the attempt's record for the log, and
 * the delivery's next state ({@code delivered}, {@code failed}, or {@code pending} again at {@code nextAttemptAt}).
 *
 * @param gone the receiver answered 410 Gone: its profile is auto-disabled at once
 */
public record AttemptOutcome(
    String deliveryId,
    String profileId,
    UUID leaseToken,
    int attempt,
    Instant startedAt,
    int durationMs,
    Integer httpStatus,
    String error,
    String responseExcerpt,
    List<String> unknownPlaceholders,
    Next next,
    Instant nextAttemptAt,
    boolean gone) {

  /** The delivery's state after this attempt. */
  public enum Next {
    DELIVERED("delivered"), RETRY("pending"), FAILED("failed");

    private final String status;

    Next(String status) {
      this.status = status;
    }

    public String status() {
      return status;
    }
  }

  public boolean succeeded() {
    return next == Next.DELIVERED;
  }

  public Instant finishedAt() {
    return startedAt.plusMillis(durationMs);
  }
}
