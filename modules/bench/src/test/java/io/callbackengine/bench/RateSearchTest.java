package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.Test;

class RateSearchTest {

  /** Runs a search against an engine that sustains exactly the rates {@code sustains} accepts; answers the rates tried. */
  private static List<Double> tried(RateSearch search, DoublePredicate sustains) {
    List<Double> rates = new ArrayList<>();
    for (OptionalDouble next = search.next(); next.isPresent(); next = search.next()) {
      rates.add(next.getAsDouble());
      search.record(next.getAsDouble(), sustains.test(next.getAsDouble()));
      assertThat(rates).hasSizeLessThan(20);
    }
    return rates;
  }

  @Test
  void climbsByHalfThenBisectsUntilWithinTenPercent() {
    RateSearch search = RateSearch.from(2000);
    // 6200 not sustained: 6200 / 5650 is under 1.10, close enough.
    assertThat(tried(search, rate -> rate <= 6000)).containsExactly(2000.0, 3000.0, 4500.0, 6750.0, 5650.0, 6200.0);
    assertThat(search.highestSustained()).isEqualTo(5650);
  }

  @Test
  void bisectsAtMostThreeTimes() {
    RateSearch search = RateSearch.from(2000);
    assertThat(tried(search, rate -> rate <= 3050)).containsExactly(2000.0, 3000.0, 4500.0, 3750.0, 3400.0, 3200.0);
    assertThat(search.highestSustained()).isEqualTo(3000);
  }

  @Test
  void anEngineThatSustainsNothingEndsAtZero() {
    RateSearch search = RateSearch.from(2000);
    assertThat(tried(search, rate -> false)).containsExactly(2000.0, 1000.0, 500.0, 250.0);
    assertThat(search.highestSustained()).isZero();
  }

  @Test
  void aListIsTriedInOrderWhateverTheOutcomes() {
    RateSearch search = RateSearch.of(List.of(4000.0, 6000.0, 7000.0));
    assertThat(tried(search, rate -> rate != 6000)).containsExactly(4000.0, 6000.0, 7000.0);
    assertThat(search.highestSustained()).isEqualTo(7000);
    assertThat(search.history()).isEqualTo("4000 yes, 6000 no, 7000 yes");
  }

  @Test
  void anAbandonedSearchOffersNoMoreRates() {
    RateSearch search = RateSearch.from(2000);
    search.record(2000, false);
    search.abandon();
    assertThat(search.next()).isEmpty();
  }
}
