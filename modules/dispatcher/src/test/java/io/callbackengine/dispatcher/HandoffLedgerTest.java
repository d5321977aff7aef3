package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.store.delivery.ClaimedDelivery;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A handoff is ended by the call that records its last delivery, and never while one of them may be unrecorded. */
class HandoffLedgerTest {

  private final HandoffLedger ledger = new HandoffLedger();
  private final UUID lease = UUID.randomUUID();

  @Test
  void theFinishOfTheLastDeliveryEndsTheHandoff() {
    ledger.adopted(handedOver(lease, 3));

    List<UUID> firstTwo = Collections.nCopies(2, lease);
    assertThat(ledger.endedByFinish(firstTwo)).isEmpty();
    ledger.recorded(firstTwo, Set.of());

    assertThat(ledger.endedByFinish(List.of(lease))).containsExactly(lease);
    ledger.recorded(List.of(lease), Set.of(lease));
    assertThat(ledger.endedByFinish(List.of())).isEmpty();
  }

  @Test
  void aFailedFinishEndsNothingAndIsAskedAgain() {
    ledger.adopted(handedOver(lease, 2));
    List<UUID> both = Collections.nCopies(2, lease);

    assertThat(ledger.endedByFinish(both)).containsExactly(lease);
    // the finish failed: nothing is recorded, and the retry still ends it
    assertThat(ledger.endedByFinish(both)).containsExactly(lease);
  }

  @Test
  void callsRunningAtOnceLeaveTheHandoffToTheNextFinish() {
    ledger.adopted(handedOver(lease, 5));
    List<UUID> finishing = Collections.nCopies(3, lease);
    List<UUID> releasing = Collections.nCopies(2, lease);

    assertThat(ledger.endedByFinish(finishing)).isEmpty();
    assertThat(ledger.endedByRelease(lease, 2)).isFalse();
    ledger.recorded(releasing, Set.of());
    ledger.recorded(finishing, Set.of());

    UUID other = UUID.randomUUID();
    ledger.adopted(handedOver(other, 2));
    assertThat(ledger.endedByFinish(List.of(other))).as("emptied, and carried by the next finish")
        .containsExactly(lease);
    ledger.recorded(List.of(other), Set.of(lease));
    assertThat(ledger.endedByFinish(List.of(other))).containsExactly(other);
  }

  @Test
  void aHandoffWhoseDeliveriesCouldNotBePutBackIsNeverEnded() {
    ledger.adopted(handedOver(lease, 2));
    assertThat(ledger.endedByRelease(lease, 1)).isFalse();

    ledger.abandon(lease);

    assertThat(ledger.endedByFinish(List.of(lease))).isEmpty();
    assertThat(ledger.endedByRelease(lease, 1)).isFalse();
    ledger.recorded(List.of(lease), Set.of());
    assertThat(ledger.endedByFinish(List.of())).isEmpty();
  }

  @Test
  void claimedDeliveriesAreNotCounted() {
    ledger.adopted(List.of(new ClaimedDelivery("msg_1", "SG_1", 0, "HX1", 1, lease, Instant.now(), "evt_1",
        "SMS-sent", "sms", "{}")));

    assertThat(ledger.endedByRelease(lease, 1)).isFalse();
  }

  private static List<ClaimedDelivery> handedOver(UUID lease, int count) {
    List<ClaimedDelivery> deliveries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      deliveries.add(ClaimedDelivery.handedOver("msg_" + i, "SG_1", 0, "HX1", lease, Instant.now(), "evt_" + i,
          "SMS-sent", "sms", new JsonObject()));
    }
    return deliveries;
  }
}
