package io.callbackengine.api.event;

import io.callbackengine.domain.event.AcceptedEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The answer to a publish, the same over HTTP and the event bus: {@code {"events": [{event_id, id, deliveries, duplicate}]}}. */
final class EventJson {

  private EventJson() {
  }

  static JsonObject of(List<AcceptedEvent> accepted) {
    JsonArray events = new JsonArray();
    accepted.forEach(a -> events.add(new JsonObject()
        .put("event_id", a.eventId())
        .put("id", a.producerId())
        .put("deliveries", a.deliveries())
        .put("duplicate", a.duplicate())));
    return new JsonObject().put("events", events);
  }
}
