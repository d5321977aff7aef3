package io.callbackengine.store.event;

import io.callbackengine.domain.event.AcceptedEvent;
import io.callbackengine.domain.event.IncomingEvent;
import io.vertx.core.Future;
import java.util.List;

/** Durable intake: events and their deliveries, committed together before anything is acknowledged. */
public interface EventStore {

  /**
   * Stores the events of one account and one delivery per matching profile in a single transaction. A producer id
   * seen before creates nothing and answers as the first time did. Fails with a 404 problem, storing nothing, when
   * an event names a profile the account does not have.
   */
  Future<List<AcceptedEvent>> publish(String sid, List<IncomingEvent> events);
}
