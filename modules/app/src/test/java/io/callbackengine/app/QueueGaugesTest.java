package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueueGaugesTest {

  @Test
  void aShortQueueIsSampledEveryFiveSeconds() {
    assertThat(QueueGauges.pauseAfter(0)).isEqualTo(5_000);
    assertThat(QueueGauges.pauseAfter(3)).isEqualTo(5_000);
    assertThat(QueueGauges.pauseAfter(50)).isEqualTo(5_000);
  }

  @Test
  void aLongQueueIsSampledLessOftenSoCountingStaysUnderOnePercentOfACore() {
    // 210 ms was the sample with 560,000 held deliveries: every 5 s it took 4 % of a core.
    long pause = QueueGauges.pauseAfter(210);
    assertThat(pause).isEqualTo(21_000);
    assertThat(210.0 / (210 + pause)).isLessThan(0.01);
  }

  @Test
  void theGaugesAreNeverMuchOlderThanAMinute() {
    assertThat(QueueGauges.pauseAfter(2_000)).isEqualTo(60_000);
    assertThat(QueueGauges.pauseAfter(Long.MAX_VALUE / 1000)).isEqualTo(60_000);
  }
}
