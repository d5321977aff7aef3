package io.callbackengine.store.delivery;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import java.time.Instant;
import java.util.UUID;

/**
 * How one attempt of a leased delivery ended, as the dispatcher judged it: the attempt's record for the log, and
 * what happens to the delivery next.
 *
 * @param gone the receiver answered 410 Gone: its profile is auto-disabled at once
 */
public record AttemptOutcome(
    String deliveryId,
    String profileId,
    UUID leaseToken,
    DeliveryRecord.Attempt attempt,
    DeliveryOutcome outcome,
    boolean gone) {

  public boolean succeeded() {
    return outcome instanceof DeliveryOutcome.Delivered;
  }

  public Instant finishedAt() {
    return attempt.startedAt().plusMillis(attempt.durationMs());
  }
}
