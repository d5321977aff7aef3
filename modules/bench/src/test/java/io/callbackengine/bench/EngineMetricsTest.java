package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the benchmark reads from an engine's {@code /metrics}: the warm-up waits on its JIT compilation time. */
class EngineMetricsTest {

  private static final String METRICS = """
      # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
      # TYPE jvm_compilation_time_ms_total counter
      jvm_compilation_time_ms_total{compiler="HotSpot 64-Bit Tiered Compilers"} 53298.0
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2582912E7
      jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3.1457280E7
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
      callback_dispatch_taken_total{source="claimed"} 120.0
      callback_dispatch_taken_total{source="handed_over"} 4880.0
      """;

  @Test
  void samplesOfAMetricAreSummedOverItsSeriesAndNothingElse() {
    assertThat(EngineUnderTest.sum(METRICS, "jvm_compilation_time_ms_total{")).isEqualTo(53_298.0);
    assertThat(EngineUnderTest.sum(METRICS, "jvm_memory_used_bytes{area=\"heap\"")).isEqualTo(12_582_912.0 + 31_457_280.0);
  }

  @Test
  void aSeriesIsPickedByItsLabelAndTheShareHandedOverFollows() {
    double handedOver = EngineUnderTest.sum(METRICS, "callback_dispatch_taken_total{", "source=\"handed_over\"");
    double claimed = EngineUnderTest.sum(METRICS, "callback_dispatch_taken_total{", "source=\"claimed\"");
    assertThat(handedOver).isEqualTo(4_880.0);
    assertThat(claimed).isEqualTo(120.0);
    EngineUnderTest.Taken phase = new EngineUnderTest.Taken(handedOver, claimed).minus(new EngineUnderTest.Taken(880, 20));
    assertThat(phase.handedOverShare()).isEqualTo(4_000.0 / 4_100.0);
  }

  @Test
  void aMetricTheEngineDoesNotReportIsNotANumberRatherThanZero() {
    // Zero would read as "the JIT has settled" and end the warm-up of an engine that does not report it.
    assertThat(EngineUnderTest.sum(METRICS, "jvm_gc_pause_seconds_count{")).isNaN();
    assertThat(EngineUnderTest.sum("", "jvm_compilation_time_ms_total{")).isNaN();
  }
}
