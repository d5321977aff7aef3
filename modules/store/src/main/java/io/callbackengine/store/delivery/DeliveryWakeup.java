package io.callbackengine.store.delivery;

/**
 * How dispatchers learn that deliveries became due: a PostgreSQL NOTIFY, sent by the transaction that made them
 * due and delivered only when it commits, on a channel per schema so engines sharing a database do not wake each
 * other. Dispatchers also poll, as a backstop for a lost notification.
 */
public final class DeliveryWakeup {

  /** Run inside the transaction that created, released or re-queued deliveries. */
  public static final String NOTIFY_SQL = "select pg_notify('callback_deliveries_' || current_schema(), '')";

  private DeliveryWakeup() {
  }

  public static String channel(String schema) {
    return "callback_deliveries_" + schema;
  }
}
