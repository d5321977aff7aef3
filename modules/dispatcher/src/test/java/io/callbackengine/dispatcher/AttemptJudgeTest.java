package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AttemptJudgeTest {

  private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
  private final AttemptJudge judge = new AttemptJudge(RetrySchedule.parse("5s,5m", 0.0), () -> 0.5);

  private static ClaimedDelivery attempt(int n) {
    return new ClaimedDelivery("msg_1", "SG_1", 0, "HX1", n, UUID.randomUUID(), STARTED, "evt_1", "SMS-sent", "sms", "{}");
  }

  private static SendResult answered(int status, Optional<Duration> retryAfter) {
    return new SendResult(STARTED, 100, status, null, "", retryAfter, SendResult.ResultClass.ofStatus(status));
  }

  @Test
  void anyTwoHundredDelivers() {
    AttemptOutcome outcome = judge.judge(attempt(1), answered(204, Optional.empty()), List.of());

    assertThat(outcome.outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
    assertThat(outcome.attempt().error()).isNull();
  }

  @Test
  void aTwoHundredWhoseBodyWasCutAtTheRequestTimeoutIsRetried() {
    SendResult cut = new SendResult(STARTED, 3000, 200, "timeout: no complete answer within 3000 ms", "..",
        Optional.empty(), SendResult.ResultClass.TIMEOUT);

    AttemptOutcome outcome = judge.judge(attempt(1), cut, List.of());

    assertThat(outcome.outcome()).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(outcome.attempt().httpStatus()).isEqualTo(200);
    assertThat(outcome.attempt().error()).isEqualTo("timeout: no complete answer within 3000 ms");
  }

  @Test
  void aFailureIsRetriedOnTheScheduleFromTheEndOfTheAttempt() {
    AttemptOutcome outcome = judge.judge(attempt(1), answered(500, Optional.empty()), List.of("x"));

    assertThat(outcome.outcome()).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(outcome.outcome()).isEqualTo(DeliveryOutcome.retryAt(STARTED.plusMillis(100).plusSeconds(5)));
    assertThat(outcome.attempt().error()).isEqualTo("HTTP 500");
    assertThat(outcome.attempt().unknownPlaceholders()).containsExactly("x");
  }

  @Test
  void retryAfterIsHonouredWithinTwiceTheSchedule() {
    AttemptOutcome outcome = judge.judge(attempt(1), answered(429, Optional.of(Duration.ofHours(1))), List.of());

    assertThat(outcome.outcome()).isEqualTo(DeliveryOutcome.retryAt(STARTED.plusMillis(100).plusSeconds(10)));
  }

  @Test
  void afterTheLastScheduledAttemptTheDeliveryFails() {
    AttemptOutcome outcome = judge.judge(attempt(3), answered(500, Optional.empty()), List.of());

    assertThat(outcome.outcome()).isEqualTo(DeliveryOutcome.FAILED);
  }

  @Test
  void goneIsMarked() {
    assertThat(judge.judge(attempt(1), answered(410, Optional.empty()), List.of()).gone()).isTrue();
    assertThat(judge.judge(attempt(1), answered(404, Optional.empty()), List.of()).gone()).isFalse();
  }

  @Test
  void aConnectionErrorKeepsItsReason() {
    SendResult refused = SendResult.failed(STARTED, 3, "connection refused", SendResult.ResultClass.REFUSED);

    AttemptOutcome outcome = judge.judge(attempt(1), refused, List.of());

    assertThat(outcome.attempt().httpStatus()).isNull();
    assertThat(outcome.attempt().error()).isEqualTo("connection refused");
    assertThat(outcome.outcome()).isInstanceOf(DeliveryOutcome.Retry.class);
  }

  @Test
  void aProfilesPolicyBringsItsOwnScheduleAndStatusesThatEndTheDeliveryAtOnce() {
    ProfilePolicy policy = new ProfilePolicy(List.of(Duration.ofSeconds(1)), null, null, null, List.of(422));

    assertThat(judge.judge(attempt(1), answered(422, Optional.empty()), List.of(), policy).outcome())
        .isEqualTo(DeliveryOutcome.FAILED);
    assertThat(judge.judge(attempt(1), answered(422, Optional.empty()), List.of()).outcome())
        .as("not final without the policy").isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(judge.judge(attempt(1), answered(500, Optional.empty()), List.of(), policy).outcome())
        .isEqualTo(DeliveryOutcome.retryAt(STARTED.plusMillis(100).plusSeconds(1)));
    assertThat(judge.judge(attempt(2), answered(500, Optional.empty()), List.of(), policy).outcome())
        .as("the profile's schedule has one retry").isEqualTo(DeliveryOutcome.FAILED);
  }
}
