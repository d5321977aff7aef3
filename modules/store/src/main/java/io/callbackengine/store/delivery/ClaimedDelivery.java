package io.callbackengine.store.delivery;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * A delivery a dispatcher holds under a lease: enough to render and send it. {@code attempt} is the number this
 * attempt will have (1 for the first); {@code retryBase} the attempts made before it was last put back in the queue
 * by a replay or retry, after which the retry schedule starts again. {@code handedOver}: its lease is a
 * {@code delivery_handoff} row, not a queue row: it was leased by the publish that created it
 * ({@link DeliveryHandoff}), or claimed from the queue before its first attempt (see {@link DeliveryQueue#claim}); it
 * has no queue row until it is retried or released.
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
    EventData eventData,
    int retryBase,
    boolean handedOver) {

  /** A delivery never put back: its retry schedule counts from the first attempt. */
  public ClaimedDelivery(String deliveryId, String profileId, long profileRevision, String sid, int attempt,
      UUID leaseToken, Instant createdAt, String eventId, String event, String channel, String eventData) {
    this(deliveryId, profileId, profileRevision, sid, attempt, leaseToken, createdAt, eventId, event, channel,
        EventData.stored(eventData), 0, false);
  }

  /** A delivery a publish leased to this process's dispatcher: its first attempt, under the publish's lease. */
  public static ClaimedDelivery handedOver(String deliveryId, String profileId, long profileRevision, String sid,
      UUID leaseToken, Instant createdAt, String eventId, String event, String channel, JsonObject eventData) {
    return new ClaimedDelivery(deliveryId, profileId, profileRevision, sid, 1, leaseToken, createdAt, eventId, event,
        channel, EventData.parsed(eventData), 0, true);
  }

  /** The failed attempts the retry schedule counts, this one included, once it has failed. */
  public int failedAttemptsSinceRequeue() {
    return attempt - retryBase;
  }
}
