package io.callbackengine.dispatcher;

import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryHandoff;
import io.vertx.core.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link DeliveryHandoff} of this process's {@link Dispatcher}. Publishes run on any event loop: they reserve
 * room from the last {@link Room} the dispatcher published, and what they leased is given to the dispatcher on its
 * own event loop, where the reservation ends. Until a dispatcher is attached it offers no room; while the
 * dispatcher has a backlog in the queue, half of it (see {@code Dispatcher#offerRoom}).
 */
public final class LocalHandoff implements DeliveryHandoff {

  /** Deliveries one publish statement may lease at most. */
  private static final int PER_STATEMENT = 1000;

  private final DispatchSettings settings;
  private volatile Dispatcher dispatcher;
  private volatile Context context;
  private volatile Room room = Room.NONE;
  /** Room promised to publish statements still running; guarded by {@code this}. */
  private int reserved;

  /**
   * What the dispatcher can take now: {@code free} deliveries in all, and for the profiles it holds deliveries of,
   * the room each has left ({@code roomPerProfile} for the others).
   */
  record Room(int free, Map<String, Integer> busyProfiles, int roomPerProfile) {
    static final Room NONE = new Room(0, Map.of(), 0);
  }

  public LocalHandoff(DispatchSettings settings) {
    this.settings = settings;
  }

  void attach(Dispatcher dispatcher, Context context) {
    this.context = context;
    this.dispatcher = dispatcher;
  }

  /** Called by the dispatcher, on its event loop, whenever what it holds changed. */
  void offer(Room room) {
    this.room = room;
  }

  /** Room promised to publishes that have not reported back yet: the dispatcher keeps it free. */
  synchronized int reserved() {
    return reserved;
  }

  @Override
  public synchronized Optional<Offer> reserve(int deliveries) {
    Room now = room;
    int limit = Math.min(Math.min(PER_STATEMENT, deliveries), now.free() - reserved);
    if (limit <= 0 || dispatcher == null) {
      return Optional.empty();
    }
    reserved += limit;
    return Optional.of(new Offer(UUID.randomUUID(), settings.lease(), limit, now.busyProfiles(), now.roomPerProfile()));
  }

  /**
   * The room the statement did not use is free again at once, for the next publish (which may come before the
   * dispatcher's event loop runs); the room it used stays reserved until the dispatcher holds those deliveries.
   */
  @Override
  public void accept(Offer offer, List<ClaimedDelivery> leased) {
    synchronized (this) {
      reserved -= offer.limit() - leased.size();
    }
    if (leased.isEmpty()) {
      return;
    }
    context.runOnContext(v -> {
      synchronized (this) {
        reserved -= leased.size();
      }
      dispatcher.adopt(leased);
    });
  }
}
