package io.callbackengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The first second of a phase by tenths: which publishes were acknowledged late, which deliveries arrived late. */
class FirstSecondTest {

  private static final long TENTH = 100_000;

  @Test
  void theSlowestAcknowledgementOfEachTenthIsTakenByScheduledSendTime() {
    // One publish every 50 ms: publishes 0-1 fall in the first tenth, 2-3 in the second, and so on.
    long[] inOrder = {4_000, 9_000, 250_000, 3_000, 1_000, 2_000};
    Load.Published published = new Load.Published(6, 6, 0, 0, inOrder.clone(), inOrder, 50_000);

    assertThat(published.slowestAcks(TENTH, 4)).containsExactly(9_000, 250_000, 2_000, 0);
  }

  @Test
  void theSlowestDeliveryOfEachTenthIsCountedFromTheFirstScheduledSend() {
    long first = 1_000_000_000;
    ArrivalRecorder.Window window = new ArrivalRecorder.Window(
        new long[] {first + 150_000, first, first + 120_000, first + 950_000, first + 1_200_000},
        new long[] {30_000, 5_000, 400_000, 7_000, 900_000});

    assertThat(window.slowest(TENTH, 10)).containsExactly(5_000, 400_000, 0, 0, 0, 0, 0, 0, 0, 7_000);
  }
}
