package io.callbackengine.store.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery a dispatcher holds under a lease: enough to render and send it. {@code attempt} is the number this
 * attempt will have (1 for the first); {@code retryBase} the attempts made before it was last put back in the queue
 * by a replay or retry, after which the retry schedule starts again.
 */
public record ClaimedDelivery(
    String deliveryId,
    String profileId,
    long profileRevision,
    String sid,
    int attempt,
    UUID leaseToken,
    Instant createdAt,
    String eventId,
    String event,
    String channel,
    String eventData,
    int retryBase) {

  /** A delivery never put back: its retry schedule counts from the first attempt. */
  public ClaimedDelivery(String deliveryId, String profileId, long profileRevision, String sid, int attempt,
      UUID leaseToken, Instant createdAt, String eventId, String event, String channel, String eventData) {
    this(deliveryId, profileId, profileRevision, sid, attempt, leaseToken, createdAt, eventId, event, channel,
        eventData, 0);
  }

  /** The failed attempts the retry schedule counts, this one included, once it has failed. */
  public int failedAttemptsSinceRequeue() {
    return attempt - retryBase;
  }
}
