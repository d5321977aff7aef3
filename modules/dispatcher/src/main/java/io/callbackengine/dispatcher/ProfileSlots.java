package io.callbackengine.dispatcher;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One dispatcher's per-profile caps: at most {@link Caps#inFlight} requests of a profile are sent at once, so a slow
 * receiver cannot take every connection; its other deliveries wait here for a slot, and no profile holds more than
 * {@link Caps#limit} deliveries here in all (sending and waiting). A profile's policy may set its own caps; one
 * delivery too many for them (a claim took it before its profile's caps were known) is turned away, to go back to
 * the queue. (Claims and hand-overs never give a profile with the default caps more than its room.) Used from one
 * event loop only.
 */
final class ProfileSlots {

  /** What one profile may have here: requests in flight, and deliveries in all (in flight and waiting). */
  record Caps(int inFlight, int limit) {
  }

  /** What {@link #take} did with a delivery. */
  enum Taken { SENDING, WAITING, TURNED_AWAY }

  private final Caps defaults;
  private final Function<String, Caps> capsOf;
  private final Map<String, Integer> sending = new HashMap<>();
  private final Map<String, ArrayDeque<ClaimedDelivery>> waiting = new HashMap<>();

  /** @param capsOf a profile's caps by its id ({@code defaults} for a profile without a policy of its own) */
  ProfileSlots(Caps defaults, Function<String, Caps> capsOf) {
    this.defaults = defaults;
    this.capsOf = capsOf;
  }

  ProfileSlots(int inFlight, int limit) {
    this(new Caps(inFlight, limit), id -> null);
  }

  private Caps caps(String profileId) {
    Caps caps = capsOf.apply(profileId);
    return caps == null ? defaults : caps;
  }

  /** Takes a slot for {@code delivery}, or queues it behind the profile's requests, or turns it away. */
  Taken take(ClaimedDelivery delivery) {
    Caps own = capsOf.apply(delivery.profileId());
    Caps caps = own == null ? defaults : own;
    int busy = sending.getOrDefault(delivery.profileId(), 0);
    if (busy < caps.inFlight()) {
      sending.merge(delivery.profileId(), 1, Integer::sum);
      return Taken.SENDING;
    }
    ArrayDeque<ClaimedDelivery> queued = waiting.get(delivery.profileId());
    if (own != null && busy + (queued == null ? 0 : queued.size()) >= caps.limit()) {
      return Taken.TURNED_AWAY;
    }
    waiting.computeIfAbsent(delivery.profileId(), id -> new ArrayDeque<>()).add(delivery);
    return Taken.WAITING;
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

  /** The room each profile with deliveries here has left (0: take none); every other profile has {@link #limit()}. */
  Map<String, Integer> room() {
    Map<String, Integer> room = new HashMap<>();
    sending.forEach((id, n) -> room.put(id, caps(id).limit() - n));
    waiting.forEach((id, queued) -> room.merge(id, -queued.size(), Integer::sum));
    room.replaceAll((id, left) -> Math.max(0, left));
    return room;
  }

  /** The room of a profile with nothing here and no caps of its own. */
  int limit() {
    return defaults.limit();
  }

  /** Empties the waiting lines (on stop): the deliveries that never got a slot. */
  List<ClaimedDelivery> takeWaiting() {
    List<ClaimedDelivery> all = new ArrayList<>();
    waiting.values().forEach(all::addAll);
    waiting.clear();
    return all;
  }
}
