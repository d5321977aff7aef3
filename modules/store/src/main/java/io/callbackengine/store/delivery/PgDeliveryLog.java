package io.callbackengine.store.delivery;

import static io.callbackengine.store.PgTimestamps.instant;
import static io.callbackengine.store.PgTimestamps.utc;
import static io.callbackengine.store.delivery.DeliveryTransitions.sql;

import io.callbackengine.domain.delivery.DeliveryStatus;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.store.TimeOrderedIds;
import io.callbackengine.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link DeliveryLog} on PostgreSQL: a delivery is in the queue while unfinished (or, while first attempted, in a
 * handoff row: its publish's, or its claim's) and in the partitioned log once finished, so every read looks at all
 * three. A delivery whose partition retention dropped is simply not there (404).
 */
public final class PgDeliveryLog implements DeliveryLog {

  /**
   * Both halves as one relation with the log's columns; {@code $1} the account, {@code where} narrows both. The queue
   * is read in two parts: its index by profile holds the waiting deliveries only, and the few being attempted are
   * found by status. A delivery in its first attempt, handed over at publish or claimed, is in neither until it is
   * recorded: it is in a handoff row (V11, {@code delivery_in_hand}), which only deliveries being attempted have.
   */
  private static final String BOTH = """
      select delivery_id, event_id, event_created_at, profile_id, status, attempt_count,
             case when status <> ':delivering' and due_at <> 'infinity' then due_at end as next_attempt_at, created_at,
             null::timestamptz as finished_at, last_http_status, last_error
        from delivery_queue where sid = $1 and status <> ':delivering' and %1$s
      union all
      select delivery_id, event_id, event_created_at, profile_id, status, attempt_count, null, created_at, null,
             last_http_status, last_error
        from delivery_queue where sid = $1 and status = ':delivering' and %1$s
      union all
      select delivery_id, event_id, event_created_at, profile_id, status, attempt_count, null, created_at,
             finished_at, last_http_status, last_error
        from delivery_log where sid = $1 and %1$s
      union all
      select delivery_id, event_id, event_created_at, profile_id, status, 0, null, created_at, null, null, null
        from delivery_in_hand where sid = $1 and %1$s
      """;
  private static final String COLUMNS = """
      d.delivery_id, d.event_id, d.profile_id, e.event, e.channel, d.status, d.attempt_count, d.next_attempt_at,
      d.created_at, d.finished_at, d.last_http_status, d.last_error""";
  private static final String OF_PROFILE = "profile_id = $2 and ($3::text is null or status = $3)";
  private static final String LIST = sql("select " + COLUMNS + " from (" + BOTH.formatted(OF_PROFILE) + """
      ) d left join event_log e on e.event_id = d.event_id and e.created_at = d.event_created_at
      order by d.created_at desc, d.delivery_id limit $4 offset $5
      """);
  private static final String COUNT = sql("select count(*) from (" + BOTH.formatted(OF_PROFILE) + ") d");
  private static final String FIND = sql("select " + COLUMNS + " from (" + BOTH.formatted("delivery_id = $2") + """
      ) d left join event_log e on e.event_id = d.event_id and e.created_at = d.event_created_at
      """);
  /**
   * The last attempt folded into a finished delivery, and the earlier ones from the attempt log (the logs in the order
   * partition maintenance locks them: see PgPartitions).
   */
  private static final String ATTEMPTS = """
      select attempt_count as attempt, last_started_at as started_at, last_duration_ms as duration_ms,
             last_http_status as http_status, last_error as error, last_response_excerpt as response_excerpt,
             last_unknown_placeholders as unknown_placeholders
        from delivery_log where delivery_id = $1 and last_started_at is not null
      union all
      select attempt, started_at, duration_ms, http_status, error, response_excerpt, unknown_placeholders
        from attempt_log where delivery_id = $1
      order by 1
      """;
  /** A waiting delivery becomes due now; held instead while the profile is disabled. */
  private static final String REQUEUE_WAITING = sql("""
      update delivery_queue q
         set status = case when p.status = :active then ':pending' else ':held' end,
             due_at = case when q.due_at = 'infinity' then q.due_at else now() end
        from profiles p
       where q.sid = $1 and q.delivery_id = $2 and p.profile_id = q.profile_id
         and q.status in (':pending', ':held') and p.deleted_at is null
      returning q.delivery_id
      """);
  /**
   * Finished deliveries go back from the log into the queue, due now (held while the profile is disabled), the
   * oldest {@code limit} of those {@code where} chooses (over {@code delivery_log l}, profile not deleted): attempt
   * numbers continue and the retry schedule starts again ({@code retry_base}); each folded last attempt moves to the
   * attempt log, so the delivery's log shows every attempt.
   */
  private static String moveBackToQueue(String where, String limit) {
    return sql("""
        with chosen as (
          select l.delivery_id, l.created_at, p.status as profile_status
            from delivery_log l join profiles p on p.profile_id = l.profile_id and p.deleted_at is null
           where %s
           order by l.created_at, l.delivery_id
           limit %s
        ), moved as (
          delete from delivery_log l using chosen c
           where l.delivery_id = c.delivery_id and l.created_at = c.created_at
          returning l.*, c.profile_status
        ), keyed as (
          -- A delivery with an ordering key joins the end of its key: it waits when its key has one in the queue, or
          -- an earlier one of this statement.
          select m.*, m.ordering_key is not null
                   and (row_number() over (partition by m.profile_id, m.ordering_key order by m.created_at) > 1
                        or exists (select 1 from delivery_queue k
                                    where k.profile_id = m.profile_id and k.ordering_key = m.ordering_key)) as behind
            from moved m
        ), folded as (
          insert into attempt_log (delivery_id, attempt, delivery_created_at, started_at, duration_ms, http_status,
                                   error, response_excerpt, unknown_placeholders)
          select delivery_id, attempt_count, created_at, last_started_at, last_duration_ms, last_http_status,
                 last_error, last_response_excerpt, last_unknown_placeholders
            from moved where last_started_at is not null
          on conflict do nothing
        )
        insert into delivery_queue (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                    retry_base, due_at, created_at, last_http_status, last_error, ordering_key,
                                    ordering_seq)
        select delivery_id, event_id, event_created_at, sid, profile_id,
               case when profile_status = :active then ':pending' else ':held' end, attempt_count, attempt_count,
               case when behind then 'infinity'::timestamptz else now() end, created_at, last_http_status, last_error,
               ordering_key, case when ordering_key is not null then nextval('delivery_ordering_seq') end
          from (select * from keyed order by created_at, delivery_id) k
        returning delivery_id
        """.formatted(where, limit));
  }

  /** $1 sid, $2 delivery id. */
  private static final String REQUEUE_FINISHED = moveBackToQueue(
      "l.sid = $1 and l.delivery_id = $2 and l.status in (':delivered', ':failed')", "1");
  /** $1 sid, $2 profile, $3 statuses, $4 since (inclusive), $5 until (exclusive): the deliveries a replay takes. */
  private static final String REPLAYABLE =
      "l.sid = $1 and l.profile_id = $2 and l.status = any($3::text[]) and l.created_at >= $4 and l.created_at < $5";
  private static final String REPLAY = moveBackToQueue(REPLAYABLE, "$6");
  private static final String MORE_TO_REPLAY = sql("select exists (select 1 from delivery_log l where "
      + REPLAYABLE + ")");
  private static final String PROFILE_IS_LIVE =
      "select 1 from profiles where sid = $1 and profile_id = $2 and deleted_at is null";

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
    return Future.all(page, total).map(done -> new Page(page.result(), total.result()))
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<DeliveryRecord>> find(String sid, String deliveryId) {
    Optional<UUID> id = TimeOrderedIds.parse(TimeOrderedIds.DELIVERY, deliveryId);
    if (id.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery(FIND).execute(Tuple.of(sid, id.get())).<Optional<DeliveryRecord>>compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      return pool.preparedQuery(ATTEMPTS).execute(Tuple.of(id.get())).map(attemptRows -> {
        List<DeliveryRecord.Attempt> attempts = new ArrayList<>(attemptRows.size());
        attemptRows.forEach(a -> {
          String[] unknown = a.getArrayOfStrings("unknown_placeholders");
          attempts.add(new DeliveryRecord.Attempt(a.getInteger("attempt"), instant(a, "started_at"),
              a.getInteger("duration_ms"), a.getInteger("http_status"), a.getString("error"),
              a.getString("response_excerpt"), unknown == null ? List.of() : Arrays.asList(unknown)));
        });
        return Optional.of(delivery(row, attempts));
      });
    }).recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<DeliveryRecord>> requeue(String sid, String deliveryId) {
    Optional<UUID> id = TimeOrderedIds.parse(TimeOrderedIds.DELIVERY, deliveryId);
    if (id.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Tuple args = Tuple.of(sid, id.get());
    return pool.withTransaction(tx -> tx.preparedQuery(REQUEUE_WAITING).execute(args)
            .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(rows)
                : tx.preparedQuery(REQUEUE_FINISHED).execute(args))
            .compose(rows -> rows.rowCount() == 1
                ? tx.query(DeliveryWakeup.NOTIFY_SQL).execute().map(true)
                : Future.succeededFuture(false)))
        .compose(requeued -> find(sid, deliveryId).compose(found -> {
          if (found.isEmpty() || requeued) {
            return Future.succeededFuture(found);
          }
          String reason = found.get().status().equals(DeliveryStatus.DELIVERING.sql())
              ? "is being attempted right now; try again when the attempt is recorded"
              : "belongs to a deleted profile and cannot be sent again";
          return Future.failedFuture(ClientProblem.conflict(Violation.params("delivery " + deliveryId + " " + reason)));
        }))
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<Replayed>> replay(String sid, String profileId, Instant since, Instant until,
      List<String> statuses, int limit) {
    return pool.withTransaction(tx -> tx.preparedQuery(PROFILE_IS_LIVE).execute(Tuple.of(sid, profileId))
            .compose(profile -> profile.size() == 0 ? Future.succeededFuture(Optional.<Replayed>empty())
                : tx.preparedQuery(REPLAY).execute(replayable(sid, profileId, since, until, statuses).addInteger(limit))
                    .compose(moved -> (moved.rowCount() > 0 ? tx.query(DeliveryWakeup.NOTIFY_SQL).execute()
                            : Future.succeededFuture())
                        .compose(woken -> tx.preparedQuery(MORE_TO_REPLAY)
                            .execute(replayable(sid, profileId, since, until, statuses)))
                        .map(more -> Optional.of(new Replayed(moved.rowCount(), more.iterator().next().getBoolean(0)))))))
        .recover(SqlErrors::translated);
  }

  private static Tuple replayable(String sid, String profileId, Instant since, Instant until, List<String> statuses) {
    return Tuple.tuple().addString(sid).addString(profileId).addArrayOfString(statuses.toArray(String[]::new))
        .addOffsetDateTime(utc(since)).addOffsetDateTime(utc(until));
  }

  private static DeliveryRecord delivery(Row row, List<DeliveryRecord.Attempt> attempts) {
    return new DeliveryRecord(TimeOrderedIds.format(TimeOrderedIds.DELIVERY, row.getUUID("delivery_id")),
        TimeOrderedIds.format(TimeOrderedIds.EVENT, row.getUUID("event_id")), row.getString("profile_id"),
        row.getString("event"), row.getString("channel"), row.getString("status"), row.getInteger("attempt_count"),
        instant(row, "next_attempt_at"), instant(row, "created_at"), instant(row, "finished_at"),
        row.getInteger("last_http_status"), row.getString("last_error"), attempts);
  }
}
