package io.callbackengine.producer;

/**
 * What became of one {@link EventPublisher#publish publish}: every outcome names the {@link #id} sent on each
 * attempt, so a caller can repeat an {@link Unanswered} one later with the same id and create nothing twice.
 */
public sealed interface PublishResult {

  /** The producer id every attempt carried: the caller's, or the one the publisher generated. */
  String id();

  /** Requests sent, the last one included. */
  int attempts();

  /**
   * Committed by the engine: the event and its deliveries are in PostgreSQL.
   *
   * @param duplicate the engine had this id already (an earlier attempt was stored although its reply was lost, or
   *     the caller published the same id before); {@code eventId} and {@code deliveries} are the first one's
   */
  record Accepted(String id, String eventId, int deliveries, boolean duplicate, int attempts)
      implements PublishResult {
  }

  /**
   * Refused for a reason repeating will not fix: {@code code} is the HTTP status the HTTP route would answer (400
   * invalid, 404 unknown account or profile), {@code message} its envelope message.
   */
  record Refused(String id, int code, String message, int attempts) implements PublishResult {
  }

  /**
   * No answer after the last attempt (timeouts, no engine in the cluster, or the engine failing with a 5xx). The
   * event may or may not be stored: publish it again later with the same {@link #id}.
   */
  record Unanswered(String id, int attempts, String lastFailure) implements PublishResult {
  }
}
