package io.callbackengine.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The highest sustained delivery rate, searched for one phase at a time. Up: from the first rate, half as much again
 * after every sustained phase (2,000, 3,000, 4,500, 6,750 …). Then bisection between the highest
 * rate sustained {@code lo} and the lowest not sustained {@code hi}, trying {@code (lo + hi) / 2}, until
 * {@code hi / lo < 1.10} or after three bisections. Rates are rounded to 50/s. Given a list instead, it tries each
 * rate of the list once.
 */
final class RateSearch {

  private static final double STEP = 1.5;
  private static final double CLOSE_ENOUGH = 1.10;
  private static final int MAX_BISECTIONS = 3;

  private final Deque<Double> listed;
  private final List<String> tried = new ArrayList<>();
  private double next;
  private double lo;
  private double hi = Double.POSITIVE_INFINITY;
  private int bisections;
  private boolean over;

  private RateSearch(Deque<Double> listed, double first) {
    this.listed = listed;
    this.next = listed == null ? round(first) : listed.isEmpty() ? 0 : listed.poll();
    this.over = next <= 0;
  }

  /**
   * A search starting at {@code first} deliveries/s. It has no ceiling: the raw HTTP limit would be one, but measured
   * on a shared machine it can come out far too low, and rates past what an engine sustains end the climb anyway.
   */
  static RateSearch from(double first) {
    return new RateSearch(null, first);
  }

  /** Each of {@code rates} once, in order, whatever the outcomes. */
  static RateSearch of(List<Double> rates) {
    return new RateSearch(new ArrayDeque<>(rates), 0);
  }

  /** The rate to try next, or empty when the search is over. */
  OptionalDouble next() {
    return over ? OptionalDouble.empty() : OptionalDouble.of(next);
  }

  /** The outcome of a phase at the rate {@link #next()} answered. */
  void record(double rate, boolean sustained) {
    tried.add(String.format(Locale.ROOT, "%.0f %s", rate, sustained ? "yes" : "no"));
    if (sustained) {
      lo = Math.max(lo, rate);
    } else {
      hi = Math.min(hi, rate);
    }
    if (listed != null) {
      over = listed.isEmpty();
      next = over ? 0 : listed.poll();
    } else if (hi == Double.POSITIVE_INFINITY) {
      next = round(rate * STEP);
    } else {
      next = round((lo + hi) / 2);
      over = bisections++ == MAX_BISECTIONS || (lo > 0 && hi / lo < CLOSE_ENOUGH) || next <= lo || next >= hi;
    }
  }

  /** Stops the search: the engine's queue never emptied, so no later phase would measure anything. */
  void abandon() {
    over = true;
  }

  /** The highest rate sustained so far, 0 if none. */
  double highestSustained() {
    return lo;
  }

  /** The rates tried and whether each was sustained, in order: {@code 2000 yes, 3000 yes, 4500 no, …}. */
  String history() {
    return String.join(", ", tried);
  }

  private static double round(double rate) {
    return Math.max(50, Math.round(rate / 50) * 50.0);
  }
}
