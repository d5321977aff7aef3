package io.callbackengine.store.event;

import io.callbackengine.domain.event.IncomingEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own events (API.md §14), published on channel {@code engine} to the account they concern, like any
 * event: {@code profile.auto_disabled}, {@code profile.enabled} and {@code delivery.failed}. Only profiles that list
 * them by name receive them. They are published after the change that caused them has committed, so a crash in
 * between loses that one notice; each carries a producer id, so publishing one twice stores it once. Their callers
 * never publish a notice about the delivery of a notice, so they cannot loop.
 */
public final class OperationalEvents {

  public static final String CHANNEL = IncomingEvent.ENGINE_CHANNEL;
  public static final String PROFILE_AUTO_DISABLED = "profile.auto_disabled";
  public static final String PROFILE_ENABLED = "profile.enabled";
  public static final String DELIVERY_FAILED = "delivery.failed";

  private static final Logger LOG = LoggerFactory.getLogger(OperationalEvents.class);

  private final EventStore events;

  public OperationalEvents(EventStore events) {
    this.events = events;
  }

  /** A profile's status changed: {@code profile.auto_disabled} or {@code profile.enabled}. */
  public Future<Void> profileStatusChanged(String name, String sid, String profileId, String title, int status,
      String reason, long changedAtMillis) {
    return publish(sid, name + "/" + profileId + "/" + changedAtMillis, name, new JsonObject()
        .put("profile_id", profileId).put("title", title).put("status", status).put("reason", reason));
  }

  /** A delivery ended {@code failed}: its last attempt failed, or answered one of its profile's final statuses. */
  public Future<Void> deliveryFailed(String sid, String profileId, String deliveryId, String eventId, int attempts,
      Integer lastHttpStatus, String lastError) {
    return publish(sid, DELIVERY_FAILED + "/" + deliveryId + "/" + attempts, DELIVERY_FAILED, new JsonObject()
        .put("profile_id", profileId).put("delivery_id", deliveryId).put("event_id", eventId).put("attempts", attempts)
        .put("last_http_status", lastHttpStatus).put("last_error", lastError));
  }

  private Future<Void> publish(String sid, String producerId, String name, JsonObject data) {
    return events.publish(sid, List.of(new IncomingEvent(producerId, name, CHANNEL, null, data)))
        .<Void>mapEmpty()
        .onFailure(e -> LOG.atWarn().addKeyValue("event", name)
            .log("Publishing the operational event {} failed; it is lost: {}", name, e.toString()));
  }
}
