package io.callbackengine.dispatcher;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One dispatcher's per-profile caps: at most {@link Caps#inFlight} requests of a profile are sent at once, so a slow
 * receiver cannot take every connection; its other deliveries wait here for a slot. {@link Caps#limit} is the room a
 * profile is offered (sending and waiting): claims and publishes take no more than what is left of it. A profile's
 * policy may set its own caps; one delivery too many for them (a claim took it before its profile's caps were known)
 * is turned away, to go back to the queue. With the defaults, what two publishes leased at once beyond the room
 * waits too (each saw the same room). A waiting delivery that can no longer start within its lease is handed back
 * instead of being sent.
 *
 * <p>A profile with the default caps whose receiver keeps up is given more: each quick answer (below 500 within
 * {@link #QUICK_MILLIS}) while its deliveries wait for a slot opens one more slot, up to {@link #MOST_RAISED} times
 * the default (its room grows alike); a slow answer, an error or a time-out halves it (never below the default), and
 * a profile that falls idle starts from the default again. A hanging or failing receiver thus keeps the default cap, while a quick
 * one is not held to a rate of the default cap per answer time (16 requests of 7 ms each: 2,300 a second).
 * Used from one event loop only.
 */
final class ProfileSlots {

  /** What one profile may have here: requests in flight, and deliveries in all (in flight and waiting). */
  record Caps(int inFlight, int limit) {
  }

  /** What {@link #take} did with a delivery. */
  enum Taken { SENDING, WAITING, TURNED_AWAY }

  /** An answer within this many milliseconds is quick. */
  static final int QUICK_MILLIS = 100;
  /** A quick profile's in-flight cap grows to at most this many times the default. */
  static final int MOST_RAISED = 4;

  private final Caps defaults;
  private final Function<String, Caps> capsOf;
  private final Map<String, Integer> sending = new HashMap<>();
  private final Map<String, ArrayDeque<Waiting>> waiting = new HashMap<>();
  /** The in-flight cap of each busy profile with the default caps whose answers raised it above the default. */
  private final Map<String, Integer> raised = new HashMap<>();

  /** A delivery waiting for a slot, and the last moment (epoch ms) its lease still covers a whole attempt. */
  private record Waiting(ClaimedDelivery delivery, long startByMillis) {
  }

  /** @param capsOf a profile's caps by its id ({@code defaults} for a profile without a policy of its own) */
  ProfileSlots(Caps defaults, Function<String, Caps> capsOf) {
    this.defaults = defaults;
    this.capsOf = capsOf;
  }

  ProfileSlots(int inFlight, int limit) {
    this(new Caps(inFlight, limit), id -> null);
  }

  private Caps caps(String profileId) {
    Caps own = capsOf.apply(profileId);
    return own != null ? own : raisedCaps(profileId);
  }

  private Caps raisedCaps(String profileId) {
    Integer inFlight = raised.get(profileId);
    return inFlight == null ? defaults
        : new Caps(inFlight, (int) ((long) defaults.limit() * inFlight / defaults.inFlight()));
  }

  /**
   * Takes a slot for {@code delivery}, or queues it behind the profile's requests, or turns it away.
   *
   * @param startByMillis when, epoch ms, it is too late to start its attempt (its lease would end during it)
   */
  Taken take(ClaimedDelivery delivery, long startByMillis) {
    Caps own = capsOf.apply(delivery.profileId());
    Caps caps = own == null ? raisedCaps(delivery.profileId()) : own;
    int busy = sending.getOrDefault(delivery.profileId(), 0);
    if (busy < caps.inFlight()) {
      sending.merge(delivery.profileId(), 1, Integer::sum);
      return Taken.SENDING;
    }
    ArrayDeque<Waiting> queued = waiting.get(delivery.profileId());
    if (own != null && busy + (queued == null ? 0 : queued.size()) >= caps.limit()) {
      return Taken.TURNED_AWAY;
    }
    waiting.computeIfAbsent(delivery.profileId(), id -> new ArrayDeque<>()).add(new Waiting(delivery, startByMillis));
    return Taken.WAITING;
  }

  /**
   * A request of {@code profileId} ended, {@code quick}ly or not (see {@link ProfileSlots}): its slot goes to the next
   * delivery waiting that can still start within its lease, answered (null if none; call {@link #next} for any more
   * slots a quick answer opened). Those that no longer can go to {@code late}, unsent.
   */
  ClaimedDelivery free(String profileId, boolean quick, long nowMillis, Consumer<ClaimedDelivery> late) {
    sending.merge(profileId, -1, Integer::sum);
    Caps own = capsOf.apply(profileId);
    if (own != null) {
      return next(profileId, own.inFlight(), nowMillis, late);
    }
    int inFlight = raised.getOrDefault(profileId, defaults.inFlight());
    int adapted = !quick ? Math.max(defaults.inFlight(), inFlight / 2)
        : waiting.containsKey(profileId) ? Math.min(inFlight + 1, defaults.inFlight() * MOST_RAISED) : inFlight;
    if (adapted == defaults.inFlight()) {
      raised.remove(profileId);
    } else {
      raised.put(profileId, adapted);
    }
    return next(profileId, adapted, nowMillis, late);
  }

  /**
   * The next delivery of {@code profileId} waiting that can still start within its lease, if the profile has a free
   * slot; it takes the slot. Null if none. Those that no longer can start go to {@code late}, unsent.
   */
  ClaimedDelivery next(String profileId, long nowMillis, Consumer<ClaimedDelivery> late) {
    return next(profileId, caps(profileId).inFlight(), nowMillis, late);
  }

  private ClaimedDelivery next(String profileId, int inFlight, long nowMillis, Consumer<ClaimedDelivery> late) {
    ArrayDeque<Waiting> queued = waiting.get(profileId);
    int busy = sending.getOrDefault(profileId, 0);
    ClaimedDelivery next = null;
    if (busy < inFlight) {
      while (next == null && queued != null && !queued.isEmpty()) {
        Waiting first = queued.poll();
        if (nowMillis <= first.startByMillis()) {
          next = first.delivery();
        } else {
          late.accept(first.delivery());
        }
      }
    }
    if (queued != null && queued.isEmpty()) {
      waiting.remove(profileId);
    }
    if (next != null) {
      sending.merge(profileId, 1, Integer::sum);
    } else if (busy <= 0) {
      sending.remove(profileId);
      raised.remove(profileId);
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

  /** The requests of {@code profileId} in flight now. */
  int sending(String profileId) {
    return sending.getOrDefault(profileId, 0);
  }

  /** The room of a profile with nothing here and no caps of its own. */
  int limit() {
    return defaults.limit();
  }

  /** Empties the waiting lines (on stop): the deliveries that never got a slot. */
  List<ClaimedDelivery> takeWaiting() {
    List<ClaimedDelivery> all = new ArrayList<>();
    waiting.values().forEach(queued -> queued.forEach(w -> all.add(w.delivery())));
    waiting.clear();
    return all;
  }
}
