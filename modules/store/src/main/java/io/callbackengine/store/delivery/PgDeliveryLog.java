package io.callbackengine.store.delivery;

import static io.callbackengine.store.PgTimestamps.instant;

import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link DeliveryLog} on PostgreSQL. */
public final class PgDeliveryLog implements DeliveryLog {

  private static final String COLUMNS = """
      d.delivery_id, d.event_id, d.profile_id, e.event, e.channel, d.status, d.attempt_count, d.next_attempt_at,
      d.created_at, d.finished_at, d.last_http_status, d.last_error""";
  private static final String FILTER = """
       from deliveries d join events e on e.event_id = d.event_id
      where d.sid = $1 and d.profile_id = $2 and ($3::text is null or d.status = $3)
      """;
  private static final String LIST = "select " + COLUMNS + FILTER
      + " order by d.created_at desc, d.delivery_id limit $4 offset $5";
  private static final String COUNT = "select count(*)" + FILTER;
  private static final String FIND = "select " + COLUMNS + """
       from deliveries d join events e on e.event_id = d.event_id where d.sid = $1 and d.delivery_id = $2
      """;
  private static final String ATTEMPTS = """
      select attempt, started_at, duration_ms, http_status, error, response_excerpt, unknown_placeholders
        from attempts where delivery_id = $1 order by attempt
      """;
  /** Back in the queue, due now; held instead while the profile is disabled. Never while an attempt runs. */
  private static final String REQUEUE = """
      update deliveries d
         set status = case when p.status = 1 then 'pending' else 'held' end, next_attempt_at = now(), finished_at = null
        from profiles p
       where d.sid = $1 and d.delivery_id = $2 and p.profile_id = d.profile_id
         and d.status in ('pending', 'held', 'delivered', 'failed') and p.deleted_at is null
      returning d.delivery_id
      """;

  private final Pool pool;

  public PgDeliveryLog(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Page> list(String sid, String profileId, String status, int limit, int offset) {
    Future<List<DeliveryRecord>> page = pool.preparedQuery(LIST)
        .execute(Tuple.of(sid, profileId, status, limit, offset))
        .map(rows -> {
          List<DeliveryRecord> deliveries = new ArrayList<>(rows.size());
          rows.forEach(row -> deliveries.add(delivery(row, List.of())));
          return deliveries;
        });
    Future<Long> total = pool.preparedQuery(COUNT).execute(Tuple.of(sid, profileId, status))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(page, total).map(done -> new Page(page.result(), total.result()));
  }

  @Override
  public Future<Optional<DeliveryRecord>> find(String sid, String deliveryId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(sid, deliveryId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(deliveryId)).map(attemptRows -> {
        List<DeliveryRecord.Attempt> attempts = new ArrayList<>(attemptRows.size());
        attemptRows.forEach(a -> {
          String[] unknown = a.getArrayOfStrings("unknown_placeholders");
          attempts.add(new DeliveryRecord.Attempt(a.getInteger("attempt"), instant(a, "started_at"),
              a.getInteger("duration_ms"), a.getInteger("http_status"), a.getString("error"),
              a.getString("response_excerpt"), unknown == null ? List.of() : Arrays.asList(unknown)));
        });
        return Optional.of(delivery(row, attempts));
      });
    });
  }

  @Override
  public Future<Optional<DeliveryRecord>> requeue(String sid, String deliveryId) {
    return pool.withTransaction(tx -> tx.preparedQuery(REQUEUE).execute(Tuple.of(sid, deliveryId))
            .compose(rows -> rows.rowCount() == 1
                ? tx.query(DeliveryWakeup.NOTIFY_SQL).execute().map(true)
                : Future.succeededFuture(false)))
        .compose(requeued -> find(sid, deliveryId).compose(found -> {
          if (found.isEmpty() || requeued) {
            return Future.succeededFuture(found);
          }
          String reason = found.get().status().equals("delivering")
              ? "is being attempted right now; try again when the attempt is recorded"
              : "belongs to a deleted profile and cannot be sent again";
          return Future.failedFuture(ClientProblem.conflict(Violation.params("delivery " + deliveryId + " " + reason)));
        }));
  }

  private static DeliveryRecord delivery(Row row, List<DeliveryRecord.Attempt> attempts) {
    return new DeliveryRecord(row.getString("delivery_id"), row.getString("event_id"), row.getString("profile_id"),
        row.getString("event"), row.getString("channel"), row.getString("status"), row.getInteger("attempt_count"),
        instant(row, "next_attempt_at"), instant(row, "created_at"), instant(row, "finished_at"),
        row.getInteger("last_http_status"), row.getString("last_error"), attempts);
  }
}
