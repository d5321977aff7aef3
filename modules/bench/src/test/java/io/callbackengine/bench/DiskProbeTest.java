package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskProbeTest {

  @Test
  void recordsTheSyncsSlowerThanItsThresholdAndLeavesNoFileBehind(@TempDir Path directory) throws Exception {
    long started = ArrivalRecorder.Clock.micros();
    List<DiskProbe.Stall> syncs;
    // With a threshold of zero every sync counts: the probe's own syncs, one per interval.
    try (DiskProbe probe = DiskProbe.start(directory, Duration.ZERO)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> probe.between(started, Long.MAX_VALUE).size() >= 3);
      syncs = probe.between(started, Long.MAX_VALUE);
      assertThat(probe.between(0, started - 1)).isEmpty();
    }
    assertThat(syncs).allSatisfy(sync -> assertThat(sync.startedMicros()).isGreaterThanOrEqualTo(started));
    assertThat(syncs.get(1).startedMicros() - syncs.get(0).startedMicros())
        .isGreaterThanOrEqualTo(DiskProbe.INTERVAL.toNanos() / 1000);
    try (var left = Files.list(directory)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void stallsGoToThePhaseSecondTheyBeganInTheLongestCounting() {
    long first = 1_000_000_000L;
    SortedMap<Long, Long> seconds = DiskProbe.bySecond(List.of(new DiskProbe.Stall(first + 7_200_000, 150_000),
        new DiskProbe.Stall(first + 7_900_000, 340_000), new DiskProbe.Stall(first + 12_000_000, 101_000)), first);
    assertThat(seconds).containsExactly(java.util.Map.entry(7L, 340L), java.util.Map.entry(12L, 101L));
  }

  @Test
  void slowDeliveriesSentInOrJustBeforeAStalledSecondAreTheDisks() {
    SortedMap<Long, Integer> slow = new TreeMap<>(java.util.Map.of(6L, 90, 7L, 1_100, 12L, 40));
    SortedMap<Long, Long> stalls = new TreeMap<>(java.util.Map.of(7L, 215L, 20L, 130L));
    DeliveryPhase phase = new DeliveryPhase(3000, 30, new Load.Published(90_000, 90_000, 0, 0, new long[] {1_000},
        new long[] {1_000}, 10_000),
        90_000, new long[] {2_000, 150_000}, slow, 0, 250, true, 500, null, stalls,
        new EngineUnderTest.Taken(Double.NaN, Double.NaN), null);
    assertThat(phase.slowNearDiskStalls()).isEqualTo(1_190);
    assertThat(phase.slowDeliveries()).isEqualTo(1_230);
  }
}
