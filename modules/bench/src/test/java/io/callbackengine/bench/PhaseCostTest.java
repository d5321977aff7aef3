package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PhaseCostTest {

  @Test
  void walPositionsAreTwoHexadecimalHalves() {
    assertThat(PhaseCost.Reading.lsn("0/16B3748")).isEqualTo(0x16B3748L);
    assertThat(PhaseCost.Reading.lsn("16/B374D848")).isEqualTo((0x16L << 32) + 0xB374D848L);
  }

  @Test
  void everyFigureIsPerDeliveryAndOtherLoadIsWhatNobodyOfOursUsed() {
    int cores = Runtime.getRuntime().availableProcessors();
    // One second of wall time; the machine was busy for a quarter of it beyond what PostgreSQL, the benchmark and
    // the engines used.
    long machineBusy = 1_000_000L * cores / 4 + 600_000;
    PhaseCost.Reading before = new PhaseCost.Reading(0, 1_000, 7, 10, 100, 0, 0, 0, 0, 0);
    PhaseCost.Reading after = new PhaseCost.Reading(1_000_000_000L, 1_000 + 2_000_000, 7 + 100, 10 + 500, 100 + 1_000,
        300_000, 350_000, 200_000, 50_000, machineBusy);
    PhaseCost cost = PhaseCost.between(before, after, 1_000);
    assertThat(cost.walBytes()).isEqualTo(2_000);
    assertThat(cost.fullPageImages()).isEqualTo(0.1);
    assertThat(cost.writeTransactions()).isEqualTo(0.5);
    assertThat(cost.commits()).isEqualTo(1.0);
    assertThat(cost.engineMicros()).isEqualTo(300);
    assertThat(cost.postgresMicros()).isEqualTo(200);
    assertThat(cost.benchMicros()).isEqualTo(50);
    assertThat(cost.otherShare()).isCloseTo(0.25, within(1e-9));
    assertThat(cost.disturbed()).isTrue();
  }
}
