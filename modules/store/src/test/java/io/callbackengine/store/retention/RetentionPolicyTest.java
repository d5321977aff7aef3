package io.callbackengine.store.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

  @Test
  void thirtyDaysKeepDailyPartitionsCreatedThreeDaysAhead() {
    RetentionPolicy policy = RetentionPolicy.of(Duration.ofDays(30));

    assertThat(policy.width()).isEqualTo(Duration.ofDays(1));
    assertThat(policy.ahead()).isEqualTo(Duration.ofDays(3).plusMinutes(5));
    assertThat(policy.checkInterval()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void shortRetentionsGetMinuteWidePartitionsCheckedOften() {
    RetentionPolicy twoMinutes = RetentionPolicy.of(Duration.ofMinutes(2));
    RetentionPolicy oneHour = RetentionPolicy.of(Duration.ofHours(1));

    assertThat(twoMinutes.width()).isEqualTo(Duration.ofMinutes(1));
    assertThat(twoMinutes.checkInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(oneHour.width()).isEqualTo(Duration.ofMinutes(15));
    assertThat(oneHour.checkInterval()).isEqualTo(Duration.ofMinutes(7).plusSeconds(30));
  }

  @Test
  void lessThanAMinuteIsRefused() {
    assertThatThrownBy(() -> RetentionPolicy.of(Duration.ofSeconds(30)))
        .hasMessageContaining("CALLBACK_RETENTION must be at least 1m");
  }

  @Test
  void aPartitionNameCarriesItsRange() {
    PartitionRange range = new PartitionRange(Instant.parse("2026-12-01T15:00:00Z"), Instant.parse("2026-12-02T15:00:00Z"));

    assertThat(range.partitionOf("event_log")).isEqualTo("event_log_p202612011500_202612021500");
    assertThat(PartitionRange.ofPartition(range.partitionOf("attempt_log"))).contains(range);
    assertThat(PartitionRange.ofPartition("event_log_retained")).isEmpty();
  }
}
