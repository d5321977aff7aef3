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
    assertThat(slots.take(of("a", 1))).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(slots.take(of("a", 2))).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(slots.take(of("a", 3))).isEqualTo(ProfileSlots.Taken.WAITING);
    assertThat(slots.take(of("a", 4))).isEqualTo(ProfileSlots.Taken.WAITING);
    assertThat(slots.take(of("b", 5))).as("another profile has slots of its own").isEqualTo(ProfileSlots.Taken.SENDING);

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

  @Test
  void aProfileWithCapsOfItsOwnGetsThemAndWhatExceedsThemIsTurnedAway() {
    ProfileSlots capped = new ProfileSlots(new ProfileSlots.Caps(2, 5),
        id -> id.equals("slow") ? new ProfileSlots.Caps(1, 2) : null);

    assertThat(capped.take(of("slow", 1))).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(capped.take(of("slow", 2))).isEqualTo(ProfileSlots.Taken.WAITING);
    assertThat(capped.take(of("slow", 3))).isEqualTo(ProfileSlots.Taken.TURNED_AWAY);
    assertThat(capped.room()).containsEntry("slow", 0);
    assertThat(capped.take(of("fast", 4))).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(capped.room()).containsEntry("fast", 4);
  }
}
