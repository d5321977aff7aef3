package io.callbackengine.domain.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  @Test
  void readsDelaySeconds() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void readsAnHttpDate() {
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:30:30 GMT", NOW)).contains(Duration.ofSeconds(150));
    assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @Test
  void aDateInThePastMeansNow() {
    assertThat(RetryAfter.parse("Tue, 20 Oct 2015 07:28:00 GMT", NOW)).contains(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "-1", "-120", "1.5", "soon", "120s", "0x10", "99999999999999999999",
      "2015-10-21T07:30:30Z", "Wednesday, 21-Oct-15 07:30:30 GMT", "Wed, 32 Oct 2015 07:30:30 GMT"})
  void ignoresWhatItCannotRead(String value) {
    assertThat(RetryAfter.parse(value, NOW)).isEmpty();
  }

  @Test
  void ignoresAMissingHeader() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
  }
}
