package io.callbackengine.domain.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureStreakTest {

  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final FailureStreak.Policy POLICY = new FailureStreak.Policy(WINDOW, 3);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void failuresCloserThanTheWindowExtendOneStreak() {
    FailureStreak streak = FailureStreak.NONE
        .afterFailure(T0, WINDOW)
        .afterFailure(T0.plus(Duration.ofMinutes(6)), WINDOW)
        .afterFailure(T0.plus(Duration.ofMinutes(12)), WINDOW);

    assertThat(streak.count()).isEqualTo(3);
    assertThat(streak.since()).isEqualTo(T0);
    assertThat(POLICY.disables(streak)).isTrue();
  }

  @Test
  void enoughFailuresInLessThanTheWindowDoNotDisableYet() {
    FailureStreak streak = FailureStreak.NONE;
    for (int i = 0; i < 20; i++) {
      streak = streak.afterFailure(T0.plusSeconds(i), WINDOW);
    }

    assertThat(streak.count()).isEqualTo(20);
    assertThat(POLICY.disables(streak)).isFalse();
  }

  @Test
  void aGapOfAWholeWindowStartsANewStreak() {
    FailureStreak streak = FailureStreak.NONE
        .afterFailure(T0, WINDOW)
        .afterFailure(T0.plus(WINDOW), WINDOW)
        .afterFailure(T0.plus(WINDOW.multipliedBy(2)), WINDOW);

    assertThat(streak.count()).isEqualTo(1);
    assertThat(streak.since()).isEqualTo(T0.plus(WINDOW.multipliedBy(2)));
    assertThat(POLICY.disables(streak)).isFalse();
  }

  @Test
  void aSuccessEndsTheStreak() {
    FailureStreak streak = FailureStreak.NONE.afterFailure(T0, WINDOW).afterFailure(T0.plusSeconds(1), WINDOW)
        .afterSuccess();

    assertThat(streak).isEqualTo(FailureStreak.NONE);
    assertThat(POLICY.disables(streak)).isFalse();
  }
}
