package io.callbackengine.store.delivery;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The durable delivery queue in PostgreSQL: unfinished deliveries only. Dispatchers claim due deliveries in batches
 * under a lease (or are handed them already leased by a publish: {@link DeliveryHandoff}), and finish them fenced by
 * the lease token, so a dispatcher whose lease expired (and whose delivery was claimed again) can never overwrite the
 * newer attempt. A finished delivery leaves the queue for the delivery log. A reaper puts expired leases back.
 *
 * <p>A handed-over delivery ({@link ClaimedDelivery#handedOver()}) has no queue row while it is attempted: its lease
 * is a handoff row (its publish's, or its claim's), which the dispatcher ends with the call that records the last of
 * its deliveries ({@code handoffsEnded}, {@code endsHandoff}). A handoff never ended (the process died, a call failed
 * for good) expires like a claim's lease, and the reaper puts back those of its deliveries that were not recorded.
 */
public interface DeliveryQueue {

  /**
   * Leases up to {@code limit} due deliveries, oldest first, skipping rows other dispatchers hold. No profile gets
   * more than its room: {@code busyProfiles} gives the room left for profiles this dispatcher already holds
   * deliveries of (0: skip it), every other profile has {@code roomPerProfile}. Deliveries taken before their first
   * attempt leave the queue and come leased as handed-over ones do ({@link ClaimedDelivery#handedOver()}), under lease
   * tokens of their own (one per publish they came from), not {@code leaseToken}; the others under {@code leaseToken}.
   */
  Future<List<ClaimedDelivery>> claim(int limit, UUID leaseToken, Duration lease, Map<String, Integer> busyProfiles,
      int roomPerProfile);

  /**
   * Puts leased deliveries back, unattempted, for any dispatcher to claim: all of one claim, or all of one handoff
   * ({@code endsHandoff}: none of it is left unrecorded after these).
   */
  Future<Integer> release(UUID leaseToken, List<ClaimedDelivery> deliveries, boolean endsHandoff);

  /**
   * Records attempts and moves their deliveries on, fenced by lease token: finished ones into the log, retried ones
   * back into the queue. Updates each profile's failure streak, and auto-disables a profile whose receiver answered
   * 410 Gone or whose streak the auto-disable policy ({@link io.callbackengine.domain.profile.FailureStreak.Policy},
   * which the implementation is built with) says is too long. An outcome whose lease token no longer holds its
   * delivery is dropped, not recorded. {@code handoffsEnded}: the handoffs whose last unrecorded deliveries these
   * outcomes are.
   */
  Future<FinishResult> finish(List<AttemptOutcome> outcomes, Set<UUID> handoffsEnded);

  /**
   * Returns deliveries whose lease expired to the queue, and makes due the head of any ordering key left waiting;
   * the future holds how many.
   */
  Future<Integer> reapExpiredLeases();

  /** What a finish changed. */
  record FinishResult(int recorded, List<String> autoDisabledProfiles) {
  }
}
