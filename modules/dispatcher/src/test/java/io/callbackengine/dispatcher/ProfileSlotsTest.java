package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProfileSlotsTest {

  private static final long NEVER_LATE = Long.MAX_VALUE;
  private final ProfileSlots slots = new ProfileSlots(2, 5);

  private static void notLate(ClaimedDelivery delivery) {
    throw new AssertionError(delivery.deliveryId() + " was not late");
  }

  private static ClaimedDelivery of(String profileId, int n) {
    return new ClaimedDelivery("msg_" + n, profileId, 0, "HX1", 1, UUID.randomUUID(), Instant.EPOCH, "evt_" + n,
        "SMS-sent", "sms", "{}");
  }

  @Test
  void aProfileSendsUpToItsCapAndTheRestWaitInOrder() {
    assertThat(slots.take(of("a", 1), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(slots.take(of("a", 2), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(slots.take(of("a", 3), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.WAITING);
    assertThat(slots.take(of("a", 4), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.WAITING);
    assertThat(slots.take(of("b", 5), NEVER_LATE)).as("another profile has slots of its own").isEqualTo(ProfileSlots.Taken.SENDING);

    assertThat(slots.room()).containsEntry("a", 1).containsEntry("b", 4);
    assertThat(slots.free("a", 0, ProfileSlotsTest::notLate).deliveryId()).isEqualTo("msg_3");
    assertThat(slots.free("a", 0, ProfileSlotsTest::notLate).deliveryId()).isEqualTo("msg_4");
    assertThat(slots.room()).containsEntry("a", 3);
    assertThat(slots.free("a", 0, ProfileSlotsTest::notLate)).isNull();
    assertThat(slots.free("a", 0, ProfileSlotsTest::notLate)).isNull();
    assertThat(slots.room()).doesNotContainKey("a");
  }

  @Test
  void aFullProfileHasNoRoomAndStoppingTakesWhatWaits() {
    for (int n = 0; n < 7; n++) {
      slots.take(of("a", n), NEVER_LATE);
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

    assertThat(capped.take(of("slow", 1), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(capped.take(of("slow", 2), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.WAITING);
    assertThat(capped.take(of("slow", 3), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.TURNED_AWAY);
    assertThat(capped.room()).containsEntry("slow", 0);
    assertThat(capped.take(of("fast", 4), NEVER_LATE)).isEqualTo(ProfileSlots.Taken.SENDING);
    assertThat(capped.room()).containsEntry("fast", 4);
  }

  @Test
  void aSlotGoesToTheNextDeliveryThatCanStillStartWithinItsLeaseAndTheLateOnesAreHandedBack() {
    slots.take(of("a", 1), NEVER_LATE);
    slots.take(of("a", 2), NEVER_LATE);
    slots.take(of("a", 3), 1_000);
    slots.take(of("a", 4), 999);
    slots.take(of("a", 5), 2_000);
    java.util.List<String> late = new java.util.ArrayList<>();

    assertThat(slots.free("a", 1_000, d -> late.add(d.deliveryId())).deliveryId()).isEqualTo("msg_3");
    assertThat(late).isEmpty();
    assertThat(slots.free("a", 1_500, d -> late.add(d.deliveryId())).deliveryId()).isEqualTo("msg_5");
    assertThat(late).containsExactly("msg_4");
    assertThat(slots.free("a", 3_000, d -> late.add(d.deliveryId()))).isNull();
    assertThat(slots.room()).as("one still sending, nothing waiting").containsEntry("a", 4);
  }

  @Test
  void whenEveryWaitingDeliveryIsLateTheSlotIsFreed() {
    slots.take(of("a", 1), NEVER_LATE);
    slots.take(of("a", 2), NEVER_LATE);
    slots.take(of("a", 3), 10);
    slots.take(of("a", 4), 10);
    java.util.List<String> late = new java.util.ArrayList<>();

    assertThat(slots.free("a", 11, d -> late.add(d.deliveryId()))).isNull();

    assertThat(late).containsExactly("msg_3", "msg_4");
    assertThat(slots.room()).as("one still sending, nothing waiting").containsEntry("a", 4);
    assertThat(slots.takeWaiting()).isEmpty();
  }
}
