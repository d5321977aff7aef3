package io.callbackengine.dispatcher;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryQueue;
import io.callbackengine.store.event.OperationalEvents;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a dispatcher tells accounts about their deliveries once their outcomes are recorded (API.md §14):
 * {@code delivery.failed} for each delivery that ended failed, {@code profile.auto_disabled} for each profile the
 * record disabled. Nothing is told about a delivery of an engine event, nor about a profile disabled by such
 * deliveries alone, so notices cannot beget notices. Used from one event loop only.
 */
final class OperationalNotices {

  private final OperationalEvents events;
  private final Function<String, CallbackProfile> profiles;
  private final Clock clock;
  /** Deliveries judged and not yet recorded, by id: what their notices need. */
  private final Map<String, ClaimedDelivery> judged = new HashMap<>();

  OperationalNotices(OperationalEvents events, Function<String, CallbackProfile> profiles, Clock clock) {
    this.events = events;
    this.profiles = profiles;
    this.clock = clock;
  }

  /** An attempt of {@code delivery} was judged; what it means is told once it is recorded. */
  void judged(ClaimedDelivery delivery) {
    judged.put(delivery.deliveryId(), delivery);
  }

  /** A batch of outcomes was recorded (a batch that failed to record is recorded again, later). */
  void recorded(List<AttemptOutcome> batch, DeliveryQueue.FinishResult result) {
    Set<String> producersProfiles = new HashSet<>();
    Set<String> gone = new HashSet<>();
    for (AttemptOutcome outcome : batch) {
      ClaimedDelivery delivery = judged.remove(outcome.deliveryId());
      if (delivery == null || isEngineEvent(delivery)) {
        continue;
      }
      producersProfiles.add(outcome.profileId());
      if (outcome.gone()) {
        gone.add(outcome.profileId());
      }
      if (outcome.outcome() instanceof DeliveryOutcome.Failed) {
        events.deliveryFailed(delivery.sid(), delivery.profileId(), delivery.deliveryId(), delivery.eventId(),
            outcome.attempt().attempt(), outcome.attempt().httpStatus(), outcome.attempt().error());
      }
    }
    for (String profileId : result.autoDisabledProfiles()) {
      CallbackProfile profile = profiles.apply(profileId);
      if (profile != null && producersProfiles.contains(profileId)) {
        events.profileStatusChanged(OperationalEvents.PROFILE_AUTO_DISABLED, profile.sid(), profileId,
            profile.spec().title(), ProfileStatus.AUTO_DISABLED.code(), gone.contains(profileId)
                ? "the receiver answered 410 Gone"
                : "its callbacks kept failing for the auto-disable window", clock.millis());
      }
    }
  }

  private static boolean isEngineEvent(ClaimedDelivery delivery) {
    return IncomingEvent.ENGINE_CHANNEL.equals(delivery.channel());
  }
}
