package io.callbackengine.store.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A delivery a dispatcher holds under a lease: enough to render and send it. {@code attempt} is the number this
 * attempt will have (1 for the first).
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
    String eventData) {
}
