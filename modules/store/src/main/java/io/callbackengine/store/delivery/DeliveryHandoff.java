package io.callbackengine.store.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hands deliveries a publish commits straight to this process's dispatcher, already leased, so that they skip the
 * claim statement: the publish leases them in the statement that creates them, within the room the dispatcher
 * offered, and gives them over in memory once committed. Whatever does not fit is queued as usual, for any
 * dispatcher to claim. Durability is unchanged: a handed-over delivery is committed, and its lease expires back into
 * the queue if this process dies. Thread-safe: publishes run on every HTTP event loop.
 */
public interface DeliveryHandoff {

  /** No dispatcher in this process: every delivery is queued for a claim. */
  DeliveryHandoff NONE = new DeliveryHandoff() {
    @Override
    public Optional<Offer> reserve(int deliveries) {
      return Optional.empty();
    }

    @Override
    public void accept(Offer offer, List<ClaimedDelivery> leased) {
    }
  };

  /**
   * Room for a publish statement that expects to create about {@code deliveries} deliveries, held until
   * {@link #accept}; empty when the dispatcher takes none now. Asking for no more than a statement needs leaves room
   * for the statements running beside it.
   */
  Optional<Offer> reserve(int deliveries);

  /** The deliveries the statement leased under {@code offer} (none if it failed); gives the rest of the room back. */
  void accept(Offer offer, List<ClaimedDelivery> leased);

  /**
   * Room for one statement: at most {@code limit} deliveries under {@code leaseToken} for {@code lease}, and no
   * profile more than its room ({@code busyProfiles}, or {@code roomPerProfile} for any other).
   */
  record Offer(UUID leaseToken, Duration lease, int limit, Map<String, Integer> busyProfiles, int roomPerProfile) {
  }
}
