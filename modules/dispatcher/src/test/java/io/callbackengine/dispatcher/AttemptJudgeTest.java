package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.retry.RetrySchedule;
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

    assertThat(outcome.next()).isEqualTo(AttemptOutcome.Next.DELIVERED);
    assertThat(outcome.nextAttemptAt()).isNull();
    assertThat(outcome.error()).isNull();
  }

  @Test
  void aTwoHundredWhoseBodyWasCutAtTheRequestTimeoutIsRetried() {
    SendResult cut = new SendResult(STARTED, 3000, 200, "timeout: no complete answer within 3000 ms", "..",
        Optional.empty(), SendResult.ResultClass.TIMEOUT);

    AttemptOutcome outcome = judge.judge(attempt(1), cut, List.of());

    assertThat(outcome.next()).isEqualTo(AttemptOutcome.Next.RETRY);
    assertThat(outcome.httpStatus()).isEqualTo(200);
    assertThat(outcome.error()).isEqualTo("timeout: no complete answer within 3000 ms");
  }

  @Test
  void aFailureIsRetriedOnTheScheduleFromTheEndOfTheAttempt() {
    AttemptOutcome outcome = judge.judge(attempt(1), answered(500, Optional.empty()), List.of("x"));

    assertThat(outcome.next()).isEqualTo(AttemptOutcome.Next.RETRY);
    assertThat(outcome.nextAttemptAt()).isEqualTo(STARTED.plusMillis(100).plusSeconds(5));
    assertThat(outcome.error()).isEqualTo("HTTP 500");
    assertThat(outcome.unknownPlaceholders()).containsExactly("x");
  }

  @Test
  void retryAfterIsHonouredWithinTwiceTheSchedule() {
    AttemptOutcome outcome = judge.judge(attempt(1), answered(429, Optional.of(Duration.ofHours(1))), List.of());

    assertThat(outcome.nextAttemptAt()).isEqualTo(STARTED.plusMillis(100).plusSeconds(10));
  }

  @Test
  void afterTheLastScheduledAttemptTheDeliveryFails() {
    AttemptOutcome outcome = judge.judge(attempt(3), answered(500, Optional.empty()), List.of());

    assertThat(outcome.next()).isEqualTo(AttemptOutcome.Next.FAILED);
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

    assertThat(outcome.httpStatus()).isNull();
    assertThat(outcome.error()).isEqualTo("connection refused");
    assertThat(outcome.next()).isEqualTo(AttemptOutcome.Next.RETRY);
  }
}
