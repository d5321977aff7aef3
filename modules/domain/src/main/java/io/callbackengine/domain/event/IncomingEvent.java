package io.callbackengine.domain.event;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An event a producer publishes (API.md §5): its name, channel and variables, optionally its own id (an
 * idempotency key per account), one profile it is addressed to, and an ordering key (§14: each profile gets the
 * events of one key one at a time, in publish order).
 */
public record IncomingEvent(String producerId, String event, String channel, String profileId, JsonObject data,
    String orderingKey) {

  public static final String DEFAULT_CHANNEL = "sms";
  /** The channel of the engine's own events (API.md §14); producers cannot publish on it. */
  public static final String ENGINE_CHANNEL = "engine";

  /** An event without an ordering key: its deliveries go in parallel. */
  public IncomingEvent(String producerId, String event, String channel, String profileId, JsonObject data) {
    this(producerId, event, channel, profileId, data, null);
  }

  public IncomingEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(data, "data");
  }
}
