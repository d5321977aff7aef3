package io.callbackengine.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PublishOptionsTest {

  private final PublishOptions defaults = PublishOptions.DEFAULT;

  @Test
  void backoffDoublesFromTheFirstDelayUpToTheCap() {
    assertThat(defaults.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(defaults.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(400));
    assertThat(defaults.backoff(4, 0.5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(defaults.backoff(5, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.backoff(1000, 0.5)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterSpreadsEachDelayByTheShareGiven() {
    assertThat(defaults.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(320));
    assertThat(defaults.backoff(2, 0.999_999)).isBetween(Duration.ofMillis(479), Duration.ofMillis(480));
    assertThat(defaults.withBackoff(Duration.ZERO, Duration.ZERO).backoff(3, 0.9)).isEqualTo(Duration.ZERO);
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> defaults.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.backoff(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
