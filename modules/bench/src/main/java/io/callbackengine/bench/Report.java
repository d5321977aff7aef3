package io.callbackengine.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the benchmark tells: a line per measurement as it happens (so a long run shows progress and a failed one
 * keeps what it had), and at the end a table with a column per engine and, when there are two, the ratio
 * candidate / baseline per measure.
 */
final class Report {

  private final PrintStream out;
  private final List<String> engines;
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Map<String, Figure>> figures = new LinkedHashMap<>();
  private final Set<String> withoutRatio = new HashSet<>();

  /** @param engines the engines' labels, the candidate first */
  Report(PrintStream out, List<String> engines) {
    this.out = out;
    this.engines = List.copyOf(engines);
  }

  /** A line printed now, and a note printed again above the table. */
  void note(String what, String text) {
    String line = String.format(Locale.ROOT, "%-34s %s", what, text);
    out.println(line);
    notes.add(line);
  }

  /** A line about one engine, printed now only. */
  void line(String engine, String what, String text) {
    out.printf(Locale.ROOT, "%-10s %-34s %s%n", engine, what, text);
  }

  /** A figure of the table: {@code format} is a {@link String#format} pattern for the value, such as {@code %,.0f}. */
  void figure(String measure, String engine, double value, String format) {
    figures.computeIfAbsent(measure, m -> new LinkedHashMap<>()).put(engine, new Figure(value, format, null));
  }

  /** A figure that is words, such as a verdict. */
  void figure(String measure, String engine, String text) {
    figures.computeIfAbsent(measure, m -> new LinkedHashMap<>()).put(engine, new Figure(Double.NaN, null, text));
  }

  /** No ratio for this measure: the engines' figures were taken at different rates, so their ratio means nothing. */
  void withoutRatio(String measure) {
    withoutRatio.add(measure);
  }

  void print() {
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("measure"));
    header.addAll(engines.size() == 1 ? List.of("figure") : engines);
    if (engines.size() == 2) {
      header.add("ratio");
    }
    rows.add(header.toArray(String[]::new));
    figures.forEach((measure, byEngine) -> {
      List<String> row = new ArrayList<>(List.of(measure));
      engines.forEach(engine -> row.add(byEngine.containsKey(engine) ? byEngine.get(engine).text() : "-"));
      if (engines.size() == 2) {
        Figure candidate = byEngine.get(engines.get(0));
        Figure baseline = byEngine.get(engines.get(1));
        boolean comparable = !withoutRatio.contains(measure) && candidate != null && baseline != null
            && !Double.isNaN(candidate.value)
            && !Double.isNaN(baseline.value) && baseline.value != 0;
        row.add(comparable ? String.format(Locale.ROOT, "%.2f", candidate.value / baseline.value) : "");
      }
      rows.add(row.toArray(String[]::new));
    });
    int[] widths = new int[rows.get(0).length];
    rows.forEach(row -> {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    });
    out.println();
    notes.forEach(out::println);
    out.println();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + widths[0] + "s", row[0]));
      for (int i = 1; i < row.length; i++) {
        // Figures right-aligned, so their digits line up.
        line.append(" | ").append(String.format(Locale.ROOT, "%" + widths[i] + "s", row[i]));
      }
      out.println(line);
    }
  }

  private record Figure(double value, String format, String words) {
    String text() {
      return words != null ? words : Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, format, value);
    }
  }
}
