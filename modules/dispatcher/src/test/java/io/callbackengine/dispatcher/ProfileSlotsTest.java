package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProfileSlotsTest {

  private final ProfileSlots slots = new ProfileSlots(2, 5);

  private static ClaimedDelivery of(String profileId, int n) {
    return new ClaimedDelivery("msg_" + n, profileId, 0, "HX1", 1, UUID.randomUUID(), Instant.EPOCH, "evt_" + n,
        "SMS-sent", "sms", "{}");
  }

  @Test
  void aProfileSendsUpToItsCapAndTheRestWaitInOrder() {
    assertThat(slots.take(of("a", 1))).isTrue();
    assertThat(slots.take(of("a", 2))).isTrue();
    assertThat(slots.take(of("a", 3))).isFalse();
    assertThat(slots.take(of("a", 4))).isFalse();
    assertThat(slots.take(of("b", 5))).as("another profile has slots of its own").isTrue();

    assertThat(slots.room()).containsEntry("a", 1).containsEntry("b", 4);
    assertThat(slots.free("a").deliveryId()).isEqualTo("msg_3");
    assertThat(slots.free("a").deliveryId()).isEqualTo("msg_4");
    assertThat(slots.room()).containsEntry("a", 3);
    assertThat(slots.free("a")).isNull();
    assertThat(slots.free("a")).isNull();
    assertThat(slots.room()).doesNotContainKey("a");
  }

  @Test
  void aFullProfileHasNoRoomAndStoppingTakesWhatWaits() {
    for (int n = 0; n < 7; n++) {
      slots.take(of("a", n));
    }

    assertThat(slots.room()).containsEntry("a", 0);
    assertThat(slots.takeWaiting()).extracting(ClaimedDelivery::deliveryId)
        .containsExactly("msg_2", "msg_3", "msg_4", "msg_5", "msg_6");
    assertThat(slots.room()).containsEntry("a", 3);
  }
}
