package io.callbackengine.domain.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private static final DoubleSupplier LOWEST = () -> 0.0;
  private static final DoubleSupplier MIDDLE = () -> 0.5;
  private static final DoubleSupplier HIGHEST = () -> Math.nextDown(1.0);

  private final RetrySchedule standard = RetrySchedule.standard();

  @Test
  void theStandardScheduleIsTheDocumentedOne() {
    assertThat(standard.delays()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5),
        Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
        Duration.ofHours(10));
    assertThat(standard.jitter()).isEqualTo(0.2);
    assertThat(standard.maxAttempts()).isEqualTo(8);
  }

  @Test
  void parsesAConfiguredSchedule() {
    RetrySchedule schedule = RetrySchedule.parse("500ms, 1m,1d", 0.1);
    assertThat(schedule.delays()).containsExactly(Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofDays(1));
    assertThat(schedule).isEqualTo(new RetrySchedule(List.of(Duration.ofMillis(500), Duration.ofMinutes(1),
        Duration.ofDays(1)), 0.1));
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.parse("5s,soon", 0.1))
        .withMessageContaining("'soon'");
  }

  @Test
  void eachFailureUsesItsDelayAndTheLastHasNoSuccessor() {
    assertThat(standard.delayAfter(1, Optional.empty(), MIDDLE)).contains(Duration.ofSeconds(5));
    assertThat(standard.delayAfter(2, Optional.empty(), MIDDLE)).contains(Duration.ofMinutes(5));
    assertThat(standard.delayAfter(7, Optional.empty(), MIDDLE)).contains(Duration.ofHours(10));
    assertThat(standard.delayAfter(8, Optional.empty(), MIDDLE)).isEmpty();
    assertThat(standard.delayAfter(100, Optional.of(Duration.ofSeconds(1)), MIDDLE)).isEmpty();
  }

  @Test
  void failedAttemptsStartAtOne() {
    assertThatIllegalArgumentException().isThrownBy(() -> standard.delayAfter(0, Optional.empty(), MIDDLE));
    assertThatIllegalArgumentException().isThrownBy(() -> standard.delayAfter(-1, Optional.empty(), MIDDLE));
  }

  @Test
  void anEmptyScheduleMeansASingleAttempt() {
    RetrySchedule none = RetrySchedule.parse("", 0.2);
    assertThat(none.maxAttempts()).isEqualTo(1);
    assertThat(none.delayAfter(1, Optional.empty(), MIDDLE)).isEmpty();
  }

  @Test
  void jitterStaysWithinItsBounds() {
    assertThat(standard.delayAfter(1, Optional.empty(), LOWEST)).contains(Duration.ofSeconds(4));
    assertThat(standard.delayAfter(1, Optional.empty(), HIGHEST)).contains(Duration.ofSeconds(6));
    assertThat(standard.delayAfter(4, Optional.empty(), LOWEST)).contains(Duration.ofMinutes(96));
    assertThat(standard.delayAfter(4, Optional.empty(), HIGHEST)).contains(Duration.ofMinutes(144));
    assertThat(standard.delayAfter(4, Optional.empty(), () -> 0.75)).contains(Duration.ofMinutes(132));
    for (double r = 0; r < 1; r += 0.01) {
      double fixed = r;
      assertThat(standard.delayAfter(3, Optional.empty(), () -> fixed).orElseThrow())
          .isBetween(Duration.ofMinutes(24), Duration.ofMinutes(36));
    }
  }

  @Test
  void noJitterMeansExactDelays() {
    RetrySchedule exact = RetrySchedule.parse("5s", 0);
    assertThat(exact.delayAfter(1, Optional.empty(), LOWEST)).contains(Duration.ofSeconds(5));
    assertThat(exact.delayAfter(1, Optional.empty(), HIGHEST)).contains(Duration.ofSeconds(5));
  }

  @Test
  void retryAfterIsClampedBetweenOnceAndTwiceTheSchedule() {
    // Scheduled: 5 min exactly (r = 0.5), so the window is [5 min, 10 min].
    assertThat(standard.delayAfter(2, Optional.of(Duration.ofSeconds(1)), MIDDLE)).contains(Duration.ofMinutes(5));
    assertThat(standard.delayAfter(2, Optional.of(Duration.ZERO), MIDDLE)).contains(Duration.ofMinutes(5));
    assertThat(standard.delayAfter(2, Optional.of(Duration.ofMinutes(7)), MIDDLE)).contains(Duration.ofMinutes(7));
    assertThat(standard.delayAfter(2, Optional.of(Duration.ofMinutes(10)), MIDDLE)).contains(Duration.ofMinutes(10));
    assertThat(standard.delayAfter(2, Optional.of(Duration.ofDays(3)), MIDDLE)).contains(Duration.ofMinutes(10));
    // The window follows the jittered delay: r = 0 gives 4 min, so [4 min, 8 min].
    assertThat(standard.delayAfter(2, Optional.of(Duration.ofHours(1)), LOWEST)).contains(Duration.ofMinutes(8));
    assertThat(standard.delayAfter(2, Optional.of(Duration.ofMinutes(1)), LOWEST)).contains(Duration.ofMinutes(4));
  }

  @Test
  void rejectsAnInvalidSchedule() {
    assertThatIllegalArgumentException().isThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(-1)), 0.2));
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.parse("5s", -0.1));
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.parse("5s", 1.0));
    assertThatIllegalArgumentException().isThrownBy(() -> RetrySchedule.parse("5s", Double.NaN));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RetrySchedule(List.of(Duration.ofSeconds(Long.MAX_VALUE)), 0.2));
  }

  @Test
  void rejectsARandomSourceOutsideItsRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> standard.delayAfter(1, Optional.empty(), () -> 1.0));
    assertThatIllegalArgumentException().isThrownBy(() -> standard.delayAfter(1, Optional.empty(), () -> -0.1));
  }

  @Test
  void theDelaysCannotBeChangedFromOutside() {
    List<Duration> delays = new java.util.ArrayList<>(List.of(Duration.ofSeconds(5)));
    RetrySchedule schedule = new RetrySchedule(delays, 0.2);
    delays.add(Duration.ofSeconds(6));
    assertThat(schedule.delays()).hasSize(1);
  }
}
