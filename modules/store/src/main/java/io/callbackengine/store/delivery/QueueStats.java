package io.callbackengine.store.delivery;

import io.callbackengine.domain.delivery.DeliveryStatus;
import io.callbackengine.domain.profile.ProfileStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of the queue and the profiles for gauges: deliveries waiting or in flight by state, the age of the
 * oldest due delivery (the lag), and profiles by status. One query on the queue, which holds unfinished deliveries
 * only, and on the handoff rows of deliveries handed over at publish and being attempted, so it stays cheap however
 * long the log grows.
 */
public record QueueStats(Map<String, Long> deliveriesByState, double lagSeconds, Map<String, Long> profilesByStatus) {

  /** The unfinished states, which the queue holds. */
  public static final DeliveryStatus[] QUEUED = {DeliveryStatus.PENDING, DeliveryStatus.DELIVERING, DeliveryStatus.HELD};

  private static final String SAMPLE = DeliveryTransitions.sql("""
      select
        (select count(*) from delivery_queue where status = ':pending') as pending,
        (select count(*) from delivery_queue where status = ':delivering')
          + (select count(*) from delivery_in_hand) as delivering,
        (select count(*) from delivery_queue where status = ':held') as held,
        coalesce((select extract(epoch from now() - min(due_at)) from delivery_queue
                   where status = ':pending' and due_at <= now()), 0)::float8 as lag,
        (select count(*) from profiles where deleted_at is null and status = :active) as active,
        (select count(*) from profiles where deleted_at is null and status = :auto_disabled) as auto_disabled,
        (select count(*) from profiles where deleted_at is null and status = :disabled) as disabled
      """.replace(":auto_disabled", Integer.toString(ProfileStatus.AUTO_DISABLED.code()))
      .replace(":disabled", Integer.toString(ProfileStatus.DISABLED.code())));

  /** All zero, before the first sample. */
  public static QueueStats empty() {
    Map<String, Long> deliveries = new LinkedHashMap<>();
    for (DeliveryStatus status : QUEUED) {
      deliveries.put(status.sql(), 0L);
    }
    return new QueueStats(deliveries, 0, Map.of("active", 0L, "auto_disabled", 0L, "disabled", 0L));
  }

  public static Future<QueueStats> sample(Pool pool) {
    return pool.query(SAMPLE).execute().map(rows -> {
      Row row = rows.iterator().next();
      Map<String, Long> deliveries = new LinkedHashMap<>();
      for (DeliveryStatus status : QUEUED) {
        deliveries.put(status.sql(), row.getLong(status.sql()));
      }
      return new QueueStats(deliveries, row.getDouble("lag"),
          Map.of("active", row.getLong("active"), "auto_disabled", row.getLong("auto_disabled"),
              "disabled", row.getLong("disabled")));
    });
  }
}
