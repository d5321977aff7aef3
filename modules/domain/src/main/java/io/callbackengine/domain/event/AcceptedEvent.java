package io.callbackengine.domain.event;

/**
 * What the engine answers for one published event, once it is committed: its id, how many deliveries it fanned
 * out to, and whether it repeated a producer id already seen (then nothing new was created).
 */
public record AcceptedEvent(String eventId, String producerId, int deliveries, boolean duplicate) {
}
