package io.callbackengine.dispatcher;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The handed-over deliveries the dispatcher holds, per handoff (the lease of one publish statement, or of what one
 * claim took of one publish's queued deliveries), until each is recorded or put back. The call that records the last
 * of a handoff's deliveries ends it (its row goes), and a call can know it is the last only when nothing else of that
 * handoff is held or being written: the count drops when a call succeeds, not when it starts. A handoff emptied by
 * calls none of which could know goes with the next finish; one whose deliveries could not be put back is never ended
 * here, and expires. Not thread-safe: the dispatcher's event loop only.
 */
final class HandoffLedger {

  private final Map<UUID, Integer> held = new HashMap<>();
  private final Set<UUID> emptied = new HashSet<>();

  void adopted(List<ClaimedDelivery> deliveries) {
    deliveries.forEach(d -> {
      if (d.handedOver()) {
        held.merge(d.leaseToken(), 1, Integer::sum);
      }
    });
  }

  /**
   * The handoffs a finish recording deliveries under {@code leases} (one per handed-over delivery) ends: those it
   * records the last of, and those emptied earlier.
   */
  Set<UUID> endedByFinish(List<UUID> leases) {
    Set<UUID> ended = new HashSet<>(emptied);
    counts(leases).forEach((lease, n) -> {
      if (n.equals(held.get(lease))) {
        ended.add(lease);
      }
    });
    return ended;
  }

  /** Whether putting back {@code count} deliveries of {@code lease} puts back the last of its handoff. */
  boolean endedByRelease(UUID lease, int count) {
    return Integer.valueOf(count).equals(held.get(lease));
  }

  /** A call that recorded or put back deliveries under {@code leases} succeeded, and ended {@code ended}. */
  void recorded(List<UUID> leases, Set<UUID> ended) {
    emptied.removeAll(ended);
    counts(leases).forEach((lease, n) -> {
      Integer left = held.computeIfPresent(lease, (k, v) -> v - n);
      if (left != null && left <= 0) {
        held.remove(lease);
        if (!ended.contains(lease)) {
          emptied.add(lease);
        }
      }
    });
  }

  /** Putting back deliveries of {@code lease} failed for good: its handoff is left to expire, never ended here. */
  void abandon(UUID lease) {
    held.remove(lease);
  }

  private static Map<UUID, Integer> counts(List<UUID> leases) {
    Map<UUID, Integer> counts = new HashMap<>();
    leases.forEach(lease -> counts.merge(lease, 1, Integer::sum));
    return counts;
  }
}
