package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

  @Test
  void durationsTakeSecondsMinutesHoursOrABareNumber() {
    assertThat(BenchmarkOptions.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(BenchmarkOptions.duration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(BenchmarkOptions.duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(BenchmarkOptions.duration("15")).isEqualTo(Duration.ofSeconds(15));
    assertThatThrownBy(() -> BenchmarkOptions.duration("3d")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quickShortensPhasesAndRetentionJoinsTheEngineEnvironment() {
    BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--quick", "--baseline-jar", "old.jar",
        "--engine-env", "CALLBACK_A=1, CALLBACK_B=x=y", "--retention", "2m", "--soak", "2m", "--soak-rate", "500"});
    assertThat(options.phase()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.baselineJar()).contains(Path.of("old.jar"));
    assertThat(options.environment()).isEqualTo(Map.of("CALLBACK_A", "1", "CALLBACK_B", "x=y", "CALLBACK_RETENTION", "2m"));
    assertThat(options.soak()).contains(Duration.ofMinutes(2));
    assertThat(options.soakRate()).isEqualTo(500);
    assertThat(options.rates()).isEmpty();
  }

  @Test
  void aFullRunHasThirtySecondPhasesAndNoBaseline() {
    BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--rates", "4000, 6000"});
    assertThat(options.phase()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.baselineJar()).isEmpty();
    assertThat(options.rates()).containsExactly(4000.0, 6000.0);
    assertThat(options.heap()).isEqualTo("384m");
    assertThat(options.engines()).containsExactly(1);
  }

  @Test
  void enginesTakesOneProcessCountOrSeveralToCompare() {
    assertThat(BenchmarkOptions.parse(new String[] {"--engines", "2"}).engines()).containsExactly(2);
    assertThat(BenchmarkOptions.parse(new String[] {"--engines", "2, 1"}).engines()).containsExactly(2, 1);
    assertThat(BenchmarkOptions.parse(new String[] {"--engines", "3", "--baseline-jar", "old.jar"}).engines())
        .containsExactly(3);
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--engines", "2,1", "--baseline-jar", "old.jar"}))
        .hasMessageContaining("--engines");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--engines", "0"})).hasMessageContaining("--engines");
  }

  @Test
  void baselineEnvironmentAloneComparesTwoSettingsOfTheEngineJar() {
    BenchmarkOptions options = BenchmarkOptions.parse(new String[] {"--engine-jar", "new.jar",
        "--engine-env", "CALLBACK_A=1", "--baseline-env", "CALLBACK_B=2"});
    assertThat(options.baselineJar()).contains(Path.of("new.jar"));
    assertThat(options.environment()).isEqualTo(Map.of("CALLBACK_A", "1"));
    assertThat(options.baselineEnvironment()).isEqualTo(Map.of("CALLBACK_B", "2"));
    assertThat(BenchmarkOptions.parse(new String[] {"--baseline-env", "CALLBACK_B=2", "--baseline-jar", "old.jar"})
        .baselineJar()).contains(Path.of("old.jar"));
    assertThat(BenchmarkOptions.parse(new String[0]).baselineEnvironment()).isEmpty();
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--baseline-env", "CALLBACK_B"}))
        .hasMessageContaining("--baseline-env takes KEY=VALUE");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--engines", "2,1", "--baseline-env", "X=1"}))
        .hasMessageContaining("--engines");
  }

  @Test
  void aRateThatIsNoNumberIsNamedWithItsOption() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--rates", "4000,lots"}))
        .hasMessage("--rates takes deliveries/s as a number, not lots");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--search-from", "-5"}))
        .hasMessageContaining("--search-from takes deliveries/s of at least 0");
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--soak", "1m", "--soak-rate", "x"}))
        .hasMessageContaining("--soak-rate");
  }

  @Test
  void aSoakNeedsItsRate() {
    assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] {"--soak", "10m"}))
        .hasMessageContaining("--soak-rate");
  }
}
