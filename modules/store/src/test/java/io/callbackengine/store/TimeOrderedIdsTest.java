package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  @Test
  void newIdsCarryTheTimeInTheirFirstBitsAndSortAfterOlderOnes() {
    long before = System.currentTimeMillis();
    UUID first = TimeOrderedIds.next();
    // Ids within one millisecond are random among themselves: the next one is made in a later millisecond.
    long made = first.getMostSignificantBits() >>> 16;
    while (System.currentTimeMillis() <= made) {
      Thread.onSpinWait();
    }
    UUID second = TimeOrderedIds.next();

    assertThat(first.getMostSignificantBits() >>> 16).isBetween(before, System.currentTimeMillis());
    assertThat(first.version()).isEqualTo(7);
    assertThat(first.variant()).isEqualTo(2);
    // PostgreSQL orders uuids by their bytes, unsigned: the same as the unsigned order of the high bits here.
    assertThat(Long.compareUnsigned(first.getMostSignificantBits(), second.getMostSignificantBits())).isNegative();
  }

  @Test
  void idsReadBackAsTheyAreShown() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(i % 2 == 0 ? TimeOrderedIds.next() : UUID.randomUUID());
    }
    for (UUID id : ids) {
      String shown = TimeOrderedIds.format(TimeOrderedIds.DELIVERY, id);
      assertThat(shown).matches("msg_[0-9a-f]{32}");
      assertThat(TimeOrderedIds.parse(TimeOrderedIds.DELIVERY, shown)).contains(id);
    }
  }

  @Test
  void anythingElseNamesNothing() {
    String valid = TimeOrderedIds.format(TimeOrderedIds.EVENT, TimeOrderedIds.next());

    assertThat(TimeOrderedIds.parse(TimeOrderedIds.DELIVERY, valid)).isEmpty();
    assertThat(TimeOrderedIds.parse(TimeOrderedIds.EVENT, valid.substring(0, 35))).isEmpty();
    assertThat(TimeOrderedIds.parse(TimeOrderedIds.EVENT, valid + "0")).isEmpty();
    assertThat(TimeOrderedIds.parse(TimeOrderedIds.EVENT, valid.substring(0, 35) + "g")).isEmpty();
    assertThat(TimeOrderedIds.parse(TimeOrderedIds.EVENT, "evt_-123456789abcdef0123456789abcde")).isEmpty();
    assertThat(TimeOrderedIds.parse(TimeOrderedIds.EVENT, null)).isEmpty();
  }
}
