package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JsonTimeTest {

  @Test
  void writesUtcWithMillisecondsAndZ() {
    assertThat(JsonTime.format(Instant.parse("2023-04-04T05:42:59Z"))).isEqualTo("2023-04-04T05:42:59.000Z");
    assertThat(JsonTime.format(OffsetDateTime.of(2023, 4, 4, 7, 42, 59, 120_000_000, ZoneOffset.ofHours(2)).toInstant()))
        .as("any offset is shown as UTC").isEqualTo("2023-04-04T05:42:59.120Z");
  }

  @Test
  void dropsDigitsBelowAMillisecondWithoutRounding() {
    assertThat(JsonTime.format(Instant.parse("2023-12-31T23:59:59.999999999Z"))).isEqualTo("2023-12-31T23:59:59.999Z");
    assertThat(JsonTime.format(Instant.parse("1970-01-01T00:00:00.000999Z"))).isEqualTo("1970-01-01T00:00:00.000Z");
  }

  @Test
  void anAbsentInstantStaysAbsent() {
    assertThat(JsonTime.format(null)).isNull();
  }

  @Test
  void readsBackAsTheSameInstantToTheMillisecond() {
    Instant now = Instant.now();
    assertThat(Instant.parse(JsonTime.format(now))).isEqualTo(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }
}
