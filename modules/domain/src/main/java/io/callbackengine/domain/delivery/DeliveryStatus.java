package io.callbackengine.domain.delivery;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a delivery is in its life, as the delivery log shows it. Unfinished deliveries ({@code pending} waiting for
 * an attempt, {@code delivering} under a dispatcher's lease, {@code held} while their profile is disabled) live in
 * the queue and are never removed by retention; finished ones ({@code delivered}, {@code failed}, {@code cancelled})
 * live in the partitioned log until retention drops them.
 */
public enum DeliveryStatus {
  PENDING("pending"), DELIVERING("delivering"), DELIVERED("delivered"), FAILED("failed"), HELD("held"),
  CANCELLED("cancelled");

  /** The API's names, in the order of a delivery's life. */
  public static final List<String> NAMES = Arrays.stream(values()).map(DeliveryStatus::sql).toList();

  private final String name;

  DeliveryStatus(String name) {
    this.name = name;
  }

  /** The name in SQL and in the API. */
  public String sql() {
    return name;
  }

  /** Whether the delivery has reached a final state and left the queue for the log. */
  public boolean finished() {
    return this == DELIVERED || this == FAILED || this == CANCELLED;
  }

  public static Optional<DeliveryStatus> named(String name) {
    return Arrays.stream(values()).filter(s -> s.name.equals(name)).findFirst();
  }

  @Override
  public String toString() {
    return name;
  }
}
