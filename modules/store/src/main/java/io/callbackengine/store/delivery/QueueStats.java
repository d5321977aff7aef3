package io.callbackengine.store.delivery;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.Map;

/**
 * A snapshot of the queue and the profiles for gauges: deliveries waiting or in flight by state, the age of the
 * oldest due delivery (the lag), and profiles by status. One query, cheap on the partial indexes.
 */
public record QueueStats(Map<String, Long> deliveriesByState, double lagSeconds, Map<String, Long> profilesByStatus) {

  private static final String SAMPLE = """
      select
        (select count(*) from deliveries where status = 'pending') as pending,
        (select count(*) from deliveries where status = 'delivering') as delivering,
        (select count(*) from deliveries where status = 'held') as held,
        coalesce((select extract(epoch from now() - min(next_attempt_at)) from deliveries
                   where status = 'pending' and next_attempt_at <= now()), 0)::float8 as lag,
        (select count(*) from profiles where deleted_at is null and status = 1) as active,
        (select count(*) from profiles where deleted_at is null and status = 2) as auto_disabled,
        (select count(*) from profiles where deleted_at is null and status = 3) as disabled
      """;

  public static Future<QueueStats> sample(Pool pool) {
    return pool.query(SAMPLE).execute().map(rows -> {
      Row row = rows.iterator().next();
      return new QueueStats(
          Map.of("pending", row.getLong("pending"), "delivering", row.getLong("delivering"), "held", row.getLong("held")),
          row.getDouble("lag"),
          Map.of("active", row.getLong("active"), "auto_disabled", row.getLong("auto_disabled"),
              "disabled", row.getLong("disabled")));
    });
  }
}
