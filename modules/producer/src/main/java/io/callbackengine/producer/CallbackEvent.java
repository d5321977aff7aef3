package io.callbackengine.producer;

import io.vertx.core.json.JsonObject;

/**
 * One event for the engine (API.md §5): the account's {@code sid}, the event name, optionally the producer's own
 * {@code id} (its idempotency key: the same id twice creates nothing twice), a channel (the engine's default is
 * {@code sms}), a {@code profile_id} to target one profile, the variables in {@code data}, and an
 * {@code ordering_key} (§14: each profile gets the events of one key one at a time, in publish order). Immutable:
 * {@code with*} return a copy.
 *
 * <pre>{@code
 * CallbackEvent event = CallbackEvent.of(sid, "SMS-sent")
 *     .withId("order-42")
 *     .withData(new JsonObject().put("status", "DELIVRD").put("recipient", "+15550100"));
 * }</pre>
 */
public record CallbackEvent(String sid, String id, String event, String channel, String profileId, JsonObject data,
    String orderingKey) {

  public CallbackEvent {
    if (sid == null || sid.isEmpty()) {
      throw new IllegalArgumentException("an event needs the sid of its account");
    }
    if (event == null || event.isEmpty()) {
      throw new IllegalArgumentException("an event needs a name, e.g. SMS-sent");
    }
    data = data == null ? new JsonObject() : data.copy();
  }

  /** An event without id (the publisher generates one), on the engine's default channel, with no data yet. */
  public static CallbackEvent of(String sid, String event) {
    return new CallbackEvent(sid, null, event, null, null, null, null);
  }

  public CallbackEvent withId(String id) {
    return new CallbackEvent(sid, id, event, channel, profileId, data, orderingKey);
  }

  public CallbackEvent withChannel(String channel) {
    return new CallbackEvent(sid, id, event, channel, profileId, data, orderingKey);
  }

  public CallbackEvent withProfileId(String profileId) {
    return new CallbackEvent(sid, id, event, channel, profileId, data, orderingKey);
  }

  public CallbackEvent withData(JsonObject data) {
    return new CallbackEvent(sid, id, event, channel, profileId, data, orderingKey);
  }

  /** Events with the same key reach each profile one at a time, in the order they were published. */
  public CallbackEvent withOrderingKey(String orderingKey) {
    return new CallbackEvent(sid, id, event, channel, profileId, data, orderingKey);
  }

  @Override
  public JsonObject data() {
    return data.copy();
  }

  /** The request body of {@code callback.events}: the event's fields plus {@code sid}; absent fields left out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("sid", sid);
    if (id != null) {
      json.put("id", id);
    }
    json.put("event", event);
    if (channel != null) {
      json.put("channel", channel);
    }
    if (profileId != null) {
      json.put("profile_id", profileId);
    }
    if (orderingKey != null) {
      json.put("ordering_key", orderingKey);
    }
    return json.put("data", data.copy());
  }
}
