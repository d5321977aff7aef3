package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void twoEnginesGetAColumnEachAndTheirRatio() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of("candidate", "baseline"));
    report.figure("sustained rate, deliveries/s", "candidate", 6000, "%,.0f");
    report.figure("sustained rate, deliveries/s", "baseline", 4000, "%,.0f");
    report.figure("duplicates", "candidate", "0");
    report.figure("at the sustained rate: p99, ms", "candidate", 90, "%,.0f");
    report.figure("at the sustained rate: p99, ms", "baseline", 60, "%,.0f");
    report.withoutRatio("at the sustained rate: p99, ms");
    report.print();
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("|")).toList();
    assertThat(lines.get(0)).matches("measure +\\| candidate \\| baseline \\| ratio");
    assertThat(lines.get(1)).matches("sustained rate, deliveries/s +\\| +6,000 \\| +4,000 \\|  1.50");
    assertThat(lines.get(2)).matches("duplicates +\\| +0 \\| +- \\| +");
    assertThat(lines.get(3)).matches("at the sustained rate: p99, ms \\| +90 \\| +60 \\| +");
  }

  @Test
  void oneEngineGetsOneColumnAndNoRatio() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of("engine"));
    report.figure("peak RSS, MiB", "engine", 293, "%,.0f");
    report.print();
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("|")))
        .containsExactly("measure       | figure", "peak RSS, MiB |    293");
  }
}
