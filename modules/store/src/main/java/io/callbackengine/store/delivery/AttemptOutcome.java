package io.callbackengine.store.delivery;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import java.time.Instant;
import java.util.UUID;

/**
 * How one attempt of a leased delivery ended, as the dispatcher judged it: the attempt's record for the log, and
 * what happens to the delivery next.
 *
 * @param gone the receiver answered 410 Gone: its profile is auto-disabled at once
 * @param handedOver what recording a handed-over delivery needs, which has no queue row to take it from; null for
 *     a delivery claimed from the queue
 */
public record AttemptOutcome(
    String deliveryId,
    String profileId,
    UUID leaseToken,
    DeliveryRecord.Attempt attempt,
    DeliveryOutcome outcome,
    boolean gone,
    HandedOver handedOver) {

  /** The outcome of an attempt of {@code delivery}. */
  public static AttemptOutcome of(ClaimedDelivery delivery, DeliveryRecord.Attempt attempt, DeliveryOutcome outcome,
      boolean gone) {
    return new AttemptOutcome(delivery.deliveryId(), delivery.profileId(), delivery.leaseToken(), attempt, outcome,
        gone, HandedOver.of(delivery));
  }

  /** The event and creation of a handed-over delivery (see {@link ClaimedDelivery#handedOver()}). */
  public record HandedOver(String eventId, String sid, Instant createdAt) {

    /** Null when {@code delivery} was claimed from the queue. */
    static HandedOver of(ClaimedDelivery delivery) {
      return delivery.handedOver() ? new HandedOver(delivery.eventId(), delivery.sid(), delivery.createdAt()) : null;
    }
  }

  public boolean succeeded() {
    return outcome instanceof DeliveryOutcome.Delivered;
  }

  public Instant finishedAt() {
    return attempt.startedAt().plusMillis(attempt.durationMs());
  }
}
