package io.callbackengine.domain.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @Test
  void parsesEveryUnit() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(DurationText.parse("0s")).isZero();
    assertThat(DurationText.parse("  24h\t")).isEqualTo(Duration.ofHours(24));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "5", "s", "5 s", "-5s", "+5s", "1.5h", "5M", "5S", "5sec", "5min", "PT5S",
      "5s5m", "1w", "99999999999999999999s", "999999999999999999d"})
  void rejectsOtherTextNamingItAndTheAcceptedForms(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(text))
        .withMessageContaining("'" + text + "'");
  }

  @Test
  void theMessageListsTheAcceptedForms() {
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse("5 minutes"))
        .withMessage("'5 minutes' is not a duration: expected a whole number with a unit: "
            + "ms, s, m, h or d (e.g. 500ms, 5s, 5m, 2h, 1d)");
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(null))
        .withMessageContaining("'null'");
  }

  @Test
  void parsesLists() {
    assertThat(DurationText.parseList("5s, 5m ,30m,2h"))
        .containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2));
    assertThat(DurationText.parseList("")).isEmpty();
    assertThat(DurationText.parseList(" ")).isEmpty();
    assertThat(DurationText.parseList(null)).isEmpty();
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parseList("5s,,5m"));
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parseList("5s,"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"PT0S, 0s", "PT0.5S, 500ms", "PT1.5S, 1500ms", "PT5S, 5s", "PT90S, 90s", "PT300S, 5m",
      "PT2H, 2h", "PT36H, 36h", "PT48H, 2d", "PT24H0.001S, 86400001ms"})
  void formatsInTheLargestExactUnit(Duration duration, String text) {
    assertThat(DurationText.format(duration)).isEqualTo(text);
    assertThat(DurationText.parse(text)).isEqualTo(duration);
  }

  @Test
  void formatsVeryLongDurations() {
    Duration longest = Duration.ofDays(Long.MAX_VALUE / 86_400);
    assertThat(DurationText.parse(DurationText.format(longest))).isEqualTo(longest);
  }

  @Property
  void everyWholeNumberOfMillisecondsReadsBackAsItself(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 1000 - 1)
      long seconds, @ForAll @IntRange(min = 0, max = 999) int millis) {
    Duration duration = Duration.ofSeconds(seconds, millis * 1_000_000L);
    assertThat(DurationText.parse(DurationText.format(duration))).isEqualTo(duration);
  }

  @Test
  void refusesWhatHasNoTextForm() {
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.format(Duration.ofSeconds(-1)));
    assertThatIllegalArgumentException().isThrownBy(() -> DurationText.format(Duration.ofNanos(1_500_000)));
  }
}
