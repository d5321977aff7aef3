package io.callbackengine.domain.delivery;

import java.time.Instant;

/**
 * What an attempt decided for its delivery: delivered, tried again at a given time, or failed for good. The
 * dispatcher decides it; the queue carries it out.
 */
public sealed interface DeliveryOutcome {

  /** A 2xx answer: the delivery is done. */
  record Delivered() implements DeliveryOutcome {
    @Override
    public DeliveryStatus status() {
      return DeliveryStatus.DELIVERED;
    }
  }

  /** Another attempt is due at {@code at} (held instead, while the profile is disabled). */
  record Retry(Instant at) implements DeliveryOutcome {
    public Retry {
      if (at == null) {
        throw new IllegalArgumentException("a retry needs the time it is due");
      }
    }

    @Override
    public DeliveryStatus status() {
      return DeliveryStatus.PENDING;
    }
  }

  /** The retry schedule ran out: the delivery failed for good. */
  record Failed() implements DeliveryOutcome {
    @Override
    public DeliveryStatus status() {
      return DeliveryStatus.FAILED;
    }
  }

  DeliveryOutcome DELIVERED = new Delivered();
  DeliveryOutcome FAILED = new Failed();

  static DeliveryOutcome retryAt(Instant at) {
    return new Retry(at);
  }

  /** The delivery's status right after this outcome, before its profile's state is taken into account. */
  DeliveryStatus status();
}
