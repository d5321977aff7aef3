package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeliveryIdSetTest {

  private static String id(Random random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return "msg_" + HexFormat.of().formatHex(bytes);
  }

  @Test
  void answersWhetherAnIdIsNewAndCountsEachOnce() {
    DeliveryIdSet ids = new DeliveryIdSet(16);
    assertThat(ids.add("msg_0190f3a2b4c5d6e7f8091a2b3c4d5e6f")).isTrue();
    assertThat(ids.add("msg_0190f3a2b4c5d6e7f8091a2b3c4d5e6f")).isFalse();
    // Ids are compared as the strings they are: upper case is another id (kept apart, as engines never write it).
    assertThat(ids.add("msg_0190F3A2B4C5D6E7F8091A2B3C4D5E6F")).isTrue();
    assertThat(ids.contains("msg_0190f3a2b4c5d6e7f8091a2b3c4d5e6f")).isTrue();
    assertThat(ids.contains("msg_0190f3a2b4c5d6e7f8091a2b3c4d5e60")).isFalse();
    assertThat(ids.size()).isEqualTo(2);
  }

  @Test
  void keepsIdsOfAnyOtherShapeAndTheAllZeroId() {
    DeliveryIdSet ids = new DeliveryIdSet(16);
    for (String id : new String[] {"msg_1", "evt_0190f3a2b4c5d6e7f8091a2b3c4d5e6f", "msg_0190f3a2-b4c5-d6e7-f809-1a2b3c4d",
        "msg_0190f3a2b4c5d6e7f8091a2b3c4d5e6g", "msg_00000000000000000000000000000000"}) {
      assertThat(ids.add(id)).as(id).isTrue();
      assertThat(ids.add(id)).as(id).isFalse();
      assertThat(ids.contains(id)).as(id).isTrue();
    }
    assertThat(ids.size()).isEqualTo(5);
    assertThat(ids.contains("msg_2")).isFalse();
  }

  @Test
  void agreesWithAHashSetThroughManyGrowths() {
    DeliveryIdSet ids = new DeliveryIdSet(16);
    Set<String> expected = new HashSet<>();
    Random random = new Random(7);
    String[] seen = new String[50_000];
    for (int i = 0; i < seen.length; i++) {
      // One id in five repeats an earlier one, as duplicates would.
      String id = i > 0 && random.nextInt(5) == 0 ? seen[random.nextInt(i)] : id(random);
      seen[i] = id;
      assertThat(ids.add(id)).isEqualTo(expected.add(id));
    }
    assertThat(ids.size()).isEqualTo(expected.size());
    for (String id : expected) {
      assertThat(ids.contains(id)).isTrue();
    }
    for (int i = 0; i < 1_000; i++) {
      String unseen = id(random);
      assertThat(ids.contains(unseen)).isEqualTo(expected.contains(unseen));
    }
  }
}
