package io.callbackengine.store.delivery;

import io.vertx.core.json.JsonObject;

/**
 * An event's {@code data} as a delivery carries it to the composer, which only reads it. A delivery handed over by a
 * publish in this process carries the object the publish parsed from its request, shared by the event's deliveries;
 * one claimed from the queue carries the text PostgreSQL kept, parsed for each attempt (so a stored value that is no
 * object fails that attempt's composing, not the claim of a whole batch). Parsing the text again for every handed-over
 * delivery was ~2 % of the engine's CPU at 3,000 deliveries/s.
 */
public sealed interface EventData {

  /** The data as an object; never to be changed, it may be shared. */
  JsonObject json();

  static EventData parsed(JsonObject data) {
    return new Parsed(data);
  }

  static EventData stored(String text) {
    return new Stored(text);
  }

  /** As the publish parsed it. */
  record Parsed(JsonObject json) implements EventData {
  }

  /** As PostgreSQL keeps it, JSON text. */
  record Stored(String text) implements EventData {

    @Override
    public JsonObject json() {
      return new JsonObject(text);
    }
  }
}
