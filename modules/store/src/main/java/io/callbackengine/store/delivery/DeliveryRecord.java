package io.callbackengine.store.delivery;

import java.time.Instant;
import java.util.List;

/** A delivery as the log shows it, with its attempts when asked for one delivery (empty in listings). */
public record DeliveryRecord(
    String deliveryId,
    String eventId,
    String profileId,
    String event,
    String channel,
    String status,
    int attemptCount,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant finishedAt,
    Integer lastHttpStatus,
    String lastError,
    List<Attempt> attempts) {

  /** One attempt: when, how long, and the receiver's answer or the error. */
  public record Attempt(int attempt, Instant startedAt, int durationMs, Integer httpStatus, String error,
      String responseExcerpt, List<String> unknownPlaceholders) {
  }
}
