package io.callbackengine.dispatcher;

import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides what an attempt means (API.md §7): any 2xx delivers; everything else is a failure retried on the schedule
 * (a 429/503 {@code Retry-After} honoured within its clamp) until the schedule runs out, then {@code failed}.
 * A 410 Gone also marks the profile for auto-disabling.
 */
public final class AttemptJudge {

  private final RetrySchedule schedule;
  private final DoubleSupplier random;

  public AttemptJudge(RetrySchedule schedule, DoubleSupplier random) {
    this.schedule = schedule;
    this.random = random;
  }

  public AttemptOutcome judge(ClaimedDelivery delivery, SendResult sent, List<String> unknownPlaceholders) {
    AttemptOutcome.Next next;
    java.time.Instant nextAttemptAt = null;
    String error = sent.error();
    if (sent.succeeded()) {
      next = AttemptOutcome.Next.DELIVERED;
    } else {
      if (error == null) {
        error = "HTTP " + sent.httpStatus();
      }
      Optional<Duration> delay = schedule.delayAfter(delivery.attempt(), sent.retryAfter(), random);
      next = delay.isPresent() ? AttemptOutcome.Next.RETRY : AttemptOutcome.Next.FAILED;
      if (delay.isPresent()) {
        nextAttemptAt = sent.startedAt().plusMillis(sent.durationMs()).plus(delay.get());
      }
    }
    return new AttemptOutcome(delivery.deliveryId(), delivery.profileId(), delivery.leaseToken(), delivery.attempt(),
        sent.startedAt(), sent.durationMs(), sent.httpStatus(), error, sent.excerpt(), unknownPlaceholders, next,
        nextAttemptAt, Integer.valueOf(410).equals(sent.httpStatus()));
  }
}
