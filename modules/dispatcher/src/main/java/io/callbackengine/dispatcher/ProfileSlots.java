package io.callbackengine.dispatcher;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One dispatcher's per-profile caps: at most {@code inFlight} requests of a profile are sent at once, so a slow
 * receiver cannot take every connection; its other deliveries wait here for a slot, and no profile holds more than
 * {@code limit} deliveries here in all (sending and waiting). Used from one event loop only.
 */
final class ProfileSlots {

  private final int inFlight;
  private final int limit;
  private final Map<String, Integer> sending = new HashMap<>();
  private final Map<String, ArrayDeque<ClaimedDelivery>> waiting = new HashMap<>();

  ProfileSlots(int inFlight, int limit) {
    this.inFlight = inFlight;
    this.limit = limit;
  }

  /** Takes a slot for {@code delivery} and answers true, or queues it behind the profile's requests and answers false. */
  boolean take(ClaimedDelivery delivery) {
    if (sending.getOrDefault(delivery.profileId(), 0) < inFlight) {
      sending.merge(delivery.profileId(), 1, Integer::sum);
      return true;
    }
    waiting.computeIfAbsent(delivery.profileId(), id -> new ArrayDeque<>()).add(delivery);
    return false;
  }

  /** A request of {@code profileId} ended: its slot goes to the next delivery waiting, answered (null if none). */
  ClaimedDelivery free(String profileId) {
    ArrayDeque<ClaimedDelivery> queued = waiting.get(profileId);
    ClaimedDelivery next = queued == null ? null : queued.poll();
    if (queued != null && queued.isEmpty()) {
      waiting.remove(profileId);
    }
    if (next == null && sending.merge(profileId, -1, Integer::sum) <= 0) {
      sending.remove(profileId);
    }
    return next;
  }

  /** The room each profile with deliveries here has left (0: take none); every other profile has {@code limit}. */
  Map<String, Integer> room() {
    Map<String, Integer> room = new HashMap<>();
    sending.forEach((id, n) -> room.put(id, limit - n));
    waiting.forEach((id, queued) -> room.merge(id, -queued.size(), Integer::sum));
    room.replaceAll((id, left) -> Math.max(0, left));
    return room;
  }

  int limit() {
    return limit;
  }

  /** Empties the waiting lines (on stop): the deliveries that never got a slot. */
  List<ClaimedDelivery> takeWaiting() {
    List<ClaimedDelivery> all = new ArrayList<>();
    waiting.values().forEach(all::addAll);
    waiting.clear();
    return all;
  }
}
