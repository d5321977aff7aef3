package io.callbackengine.store.delivery;

import io.callbackengine.domain.delivery.DeliveryStatus;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Reading deliveries and their attempts, scoped to an account, and re-queuing one by hand or a profile's in bulk. */
public interface DeliveryLog {

  /** Statuses a delivery can have, in the order of its life. */
  List<String> STATUSES = DeliveryStatus.NAMES;

  /** A page of one profile's deliveries, newest first, and how many match. */
  Future<Page> list(String sid, String profileId, String status, int limit, int offset);

  Future<Optional<DeliveryRecord>> find(String sid, String deliveryId);

  /**
   * Queues a delivery for an immediate attempt (another one, if it had run out). Empty when the account has no such
   * delivery; a 409 problem when it is being attempted now, or its profile was deleted.
   */
  Future<Optional<DeliveryRecord>> requeue(String sid, String deliveryId);

  /**
   * Puts a profile's finished deliveries back in the queue (API.md §14 "Replay"): the oldest {@code limit} of those
   * created in {@code [since, until)} whose status is one of {@code statuses}. Empty when the account has no such
   * profile.
   */
  Future<Optional<Replayed>> replay(String sid, String profileId, Instant since, Instant until, List<String> statuses,
      int limit);

  /** What a replay did: how many deliveries it put back, and whether more match. */
  record Replayed(int replayed, boolean more) {
  }

  /** One page. */
  record Page(List<DeliveryRecord> deliveries, long total) {
  }
}
