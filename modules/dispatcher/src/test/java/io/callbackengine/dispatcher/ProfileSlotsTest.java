package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.store.delivery.ClaimedDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    assertThat(slots.free("a", false, 0, ProfileSlotsTest::notLate).deliveryId()).isEqualTo("msg_3");
    assertThat(slots.free("a", false, 0, ProfileSlotsTest::notLate).deliveryId()).isEqualTo("msg_4");
    assertThat(slots.room()).containsEntry("a", 3);
    assertThat(slots.free("a", false, 0, ProfileSlotsTest::notLate)).isNull();
    assertThat(slots.free("a", false, 0, ProfileSlotsTest::notLate)).isNull();
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

  /** Two deliveries of "a" sending (msg_1, msg_2), then one waiting per start-by time (msg_3, msg_4, ...). */
  private void twoSendingThenWaiting(long... startByMillis) {
    slots.take(of("a", 1), NEVER_LATE);
    slots.take(of("a", 2), NEVER_LATE);
    for (int i = 0; i < startByMillis.length; i++) {
      assertThat(slots.take(of("a", 3 + i), startByMillis[i])).isEqualTo(ProfileSlots.Taken.WAITING);
    }
  }

  @Test
  void aSlotGoesToTheNextDeliveryThatCanStillStartWithinItsLeaseAndTheLateOnesAreHandedBack() {
    twoSendingThenWaiting(1_000, 999, 2_000);
    List<String> late = new ArrayList<>();

    assertThat(slots.free("a", false, 1_000, d -> late.add(d.deliveryId())).deliveryId()).isEqualTo("msg_3");
    assertThat(late).isEmpty();
    assertThat(slots.free("a", false, 1_500, d -> late.add(d.deliveryId())).deliveryId()).isEqualTo("msg_5");
    assertThat(late).containsExactly("msg_4");
    assertThat(slots.free("a", false, 3_000, d -> late.add(d.deliveryId()))).isNull();
    assertThat(slots.room()).as("one still sending, nothing waiting").containsEntry("a", 4);
  }

  @Test
  void whenEveryWaitingDeliveryIsLateTheSlotIsFreed() {
    twoSendingThenWaiting(10, 10);
    List<String> late = new ArrayList<>();

    assertThat(slots.free("a", false, 11, d -> late.add(d.deliveryId()))).isNull();

    assertThat(late).containsExactly("msg_3", "msg_4");
    assertThat(slots.room()).as("one still sending, nothing waiting").containsEntry("a", 4);
    assertThat(slots.takeWaiting()).isEmpty();
  }

  /** Ends one request of {@code profileId} and starts what the slots then allow: how many started. */
  private static int answer(ProfileSlots slots, String profileId, boolean quick) {
    int started = slots.free(profileId, quick, 0, ProfileSlotsTest::notLate) == null ? 0 : 1;
    while (started > 0 && slots.next(profileId, 0, ProfileSlotsTest::notLate) != null) {
      started++;
    }
    return started;
  }

  @Test
  void quickAnswersWhileDeliveriesWaitOpenASlotEachUpToFourTimesTheDefaultAndASlowOneHalvesIt() {
    for (int n = 0; n < 40; n++) {
      slots.take(of("a", n), NEVER_LATE);
    }
    assertThat(slots.sending("a")).isEqualTo(2);

    assertThat(answer(slots, "a", true)).as("its own slot and one more").isEqualTo(2);
    assertThat(slots.sending("a")).isEqualTo(3);
    for (int n = 0; n < 10; n++) {
      answer(slots, "a", true);
    }
    assertThat(slots.sending("a")).as("four times the default of 2, no more").isEqualTo(8);
    assertThat(slots.room()).as("its room grew alike, to 5 × 4 = 20: 8 sending and 21 waiting").containsEntry("a", 0);
    for (int n = 0; n < 7; n++) {
      answer(slots, "a", true);
    }
    assertThat(slots.room()).as("14 waiting: room for 20 - 8 - 14").containsEntry("a", 0);
    for (int n = 0; n < 5; n++) {
      answer(slots, "a", true);
    }
    assertThat(slots.room()).as("9 waiting").containsEntry("a", 3);

    assertThat(answer(slots, "a", false)).as("a slow answer: a cap of 4, and 7 still in flight").isZero();
    for (int n = 0; n < 5; n++) {
      assertThat(answer(slots, "a", false)).as("halved to the default, and in flight above it").isZero();
    }
    assertThat(slots.sending("a")).isEqualTo(2);
    assertThat(answer(slots, "a", false)).as("back at the default cap").isEqualTo(1);
    assertThat(slots.sending("a")).isEqualTo(2);
  }

  @Test
  void quickAnswersWithNothingWaitingRaiseNothingAndAnIdleProfileStartsFromTheDefault() {
    slots.take(of("a", 1), NEVER_LATE);
    slots.take(of("a", 2), NEVER_LATE);
    answer(slots, "a", true);
    slots.take(of("a", 3), NEVER_LATE);
    slots.take(of("a", 4), NEVER_LATE);
    assertThat(slots.sending("a")).as("nothing waited: still the default").isEqualTo(2);

    for (int n = 5; n < 9; n++) {
      slots.take(of("a", n), NEVER_LATE);
    }
    answer(slots, "a", true);
    assertThat(slots.sending("a")).isEqualTo(3);
    while (slots.sending("a") > 0) {
      answer(slots, "a", true);
    }
    for (int n = 10; n < 15; n++) {
      slots.take(of("a", n), NEVER_LATE);
    }
    assertThat(slots.sending("a")).as("idle in between: the default again").isEqualTo(2);
  }

  @Test
  void aProfileWithCapsOfItsOwnIsNeverRaised() {
    ProfileSlots capped = new ProfileSlots(new ProfileSlots.Caps(2, 5),
        id -> id.equals("own") ? new ProfileSlots.Caps(2, 4) : null);
    for (int n = 0; n < 4; n++) {
      capped.take(of("own", n), NEVER_LATE);
    }

    assertThat(answer(capped, "own", true)).isEqualTo(1);
    assertThat(answer(capped, "own", true)).isEqualTo(1);
    assertThat(capped.sending("own")).isEqualTo(2);
  }
}
