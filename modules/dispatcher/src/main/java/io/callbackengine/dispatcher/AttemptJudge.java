package io.callbackengine.dispatcher;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides what an attempt means (API.md §7): any 2xx delivers; everything else is a failure retried on the schedule
 * (a 429/503 {@code Retry-After} honoured within its clamp) until the schedule runs out, then {@code failed}.
 * A 410 Gone also marks the profile for auto-disabling. A profile's policy may bring its own retry schedule (the
 * engine's jitter still applies) and statuses that end the delivery {@code failed} at once (API.md §14).
 */
public final class AttemptJudge {

  private final RetrySchedule schedule;
  private final DoubleSupplier random;

  public AttemptJudge(RetrySchedule schedule, DoubleSupplier random) {
    this.schedule = schedule;
    this.random = random;
  }

  public AttemptOutcome judge(ClaimedDelivery delivery, SendResult sent, List<String> unknownPlaceholders) {
    return judge(delivery, sent, unknownPlaceholders, ProfilePolicy.DEFAULTS);
  }

  public AttemptOutcome judge(ClaimedDelivery delivery, SendResult sent, List<String> unknownPlaceholders,
      ProfilePolicy policy) {
    String error = sent.error();
    DeliveryOutcome outcome;
    if (sent.succeeded()) {
      outcome = DeliveryOutcome.DELIVERED;
    } else {
      if (error == null) {
        error = "HTTP " + sent.httpStatus();
      }
      Optional<Duration> delay = policy.isFinal(sent.httpStatus()) ? Optional.empty()
          : policy.retrySchedule(schedule).delayAfter(delivery.failedAttemptsSinceRequeue(), sent.retryAfter(), random);
      outcome = delay.isPresent()
          ? DeliveryOutcome.retryAt(sent.startedAt().plusMillis(sent.durationMs()).plus(delay.get()))
          : DeliveryOutcome.FAILED;
    }
    DeliveryRecord.Attempt attempt = new DeliveryRecord.Attempt(delivery.attempt(), sent.startedAt(), sent.durationMs(),
        sent.httpStatus(), error, sent.excerpt(), unknownPlaceholders);
    return AttemptOutcome.of(delivery, attempt, outcome, Integer.valueOf(410).equals(sent.httpStatus()));
  }
}
