package io.callbackengine.store.delivery;

import io.callbackengine.domain.delivery.DeliveryStatus;
import io.callbackengine.domain.profile.ProfileStatus;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * How waiting deliveries follow their profile: held while it is disabled, pending again when it is enabled,
 * cancelled (moved from the queue to the log) when it is deleted. The statements run inside the transaction that
 * changes the profile, so a delivery never sees a state its profile has left.
 */
public final class DeliveryTransitions {

  private static final String HOLD = """
      update delivery_queue set status = ':held' where profile_id = any($1) and status = ':pending'
      """.transform(DeliveryTransitions::sql);
  private static final String RELEASE = """
      update delivery_queue
         set status = ':pending', due_at = case when due_at = 'infinity' then due_at else $2 end
       where profile_id = $1 and status = ':held'
      """.transform(DeliveryTransitions::sql);
  /** Cancelled deliveries leave the queue; their attempts so far stay in the attempt log. */
  private static final String CANCEL = """
      with cancelled as (
        delete from delivery_queue where profile_id = $1 and status in (':pending', ':held')
        returning delivery_id, event_id, event_created_at, sid, profile_id, attempt_count, created_at,
                  last_http_status, last_error, ordering_key
      )
      insert into delivery_log (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                created_at, finished_at, last_http_status, last_error, ordering_key)
      select delivery_id, event_id, event_created_at, sid, profile_id, ':cancelled', attempt_count, created_at, $2,
             last_http_status, last_error, ordering_key
        from cancelled
      """.transform(DeliveryTransitions::sql);

  private DeliveryTransitions() {
  }

  /**
   * A statement that puts the leased deliveries matching {@code leased} (an SQL condition on {@code q}) back in the
   * queue, unattempted: pending, held while their profile is disabled, or cancelled into the log when it was deleted
   * meanwhile. Answers one row: how many.
   */
  static String returnToQueue(String leased) {
    return sql("""
        with back as (
          select q.delivery_id, p.deleted_at is not null as deleted, p.status as profile_status
            from delivery_queue q join profiles p on p.profile_id = q.profile_id
           where q.status = ':delivering' and (%s)
             for update of q
        ), cancelled as (
          delete from delivery_queue q using back b where q.delivery_id = b.delivery_id and b.deleted
          returning q.delivery_id, q.event_id, q.event_created_at, q.sid, q.profile_id, q.attempt_count, q.created_at,
                    q.last_http_status, q.last_error, q.ordering_key
        ), logged as (
          insert into delivery_log (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                    created_at, finished_at, last_http_status, last_error, ordering_key)
          select delivery_id, event_id, event_created_at, sid, profile_id, ':cancelled', attempt_count, created_at,
                 now(), last_http_status, last_error, ordering_key
            from cancelled
        ), requeued as (
          update delivery_queue q
             set status = case when b.profile_status <> :active then ':held' else ':pending' end, lease_token = null,
                 due_at = now()
            from back b where q.delivery_id = b.delivery_id and not b.deleted
          returning 1
        )
        select (select count(*) from cancelled) + (select count(*) from requeued) as returned
        """.formatted(leased));
  }

  /**
   * A statement that puts handed-over deliveries back in the queue, unattempted, as {@link #returnToQueue} does claimed
   * ones: {@code ctes} are the statement's first CTEs, the last of them {@code handed (delivery_id, event_id,
   * created_at, sid, profile_id)}, the deliveries whose handoff row the statement holds (deleted or locked). Those the
   * queue or the log already has are left alone. Answers one row: how many.
   */
  static String returnHandedOver(String ctes) {
    return sql("""
        with %s, back as (
          select h.delivery_id, h.event_id, h.created_at, h.sid, h.profile_id, p.deleted_at is not null as deleted,
                 p.status as profile_status
            from handed h join profiles p on p.profile_id = h.profile_id
           where not exists (select 1 from delivery_queue q where q.delivery_id = h.delivery_id)
             and not exists (select 1 from delivery_log l where l.delivery_id = h.delivery_id and l.created_at = h.created_at)
        ), cancelled as (
          insert into delivery_log (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                    created_at, finished_at)
          select delivery_id, event_id, created_at, sid, profile_id, ':cancelled', 0, created_at, now()
            from back where deleted
          on conflict do nothing
          returning 1
        ), requeued as (
          insert into delivery_queue (delivery_id, event_id, event_created_at, sid, profile_id, status, due_at,
                                      created_at)
          select delivery_id, event_id, created_at, sid, profile_id,
                 case when profile_status <> :active then ':held' else ':pending' end, now(), created_at
            from back where not deleted
          on conflict do nothing
          returning 1
        )
        select (select count(*) from cancelled) + (select count(*) from requeued) as returned
        """.formatted(ctes));
  }

  /** {@code text} with :pending, :delivering, :held, :delivered, :failed, :cancelled and :active spelled out. */
  static String sql(String text) {
    String sql = text.replace(":active", Integer.toString(ProfileStatus.ACTIVE.code()));
    for (DeliveryStatus status : DeliveryStatus.values()) {
      sql = sql.replace(":" + status.sql(), status.sql());
    }
    return sql;
  }

  /** Holds the pending deliveries of {@code profileIds} (disabled, by hand or automatically). */
  public static Future<Integer> hold(SqlClient tx, List<String> profileIds) {
    return tx.preparedQuery(HOLD).execute(Tuple.of(profileIds.toArray(String[]::new))).map(rows -> rows.rowCount());
  }

  /** Makes the held deliveries of {@code profileId} due at {@code now} (enabled again). */
  public static Future<Integer> release(SqlClient tx, String profileId, Instant now) {
    return tx.preparedQuery(RELEASE).execute(Tuple.of(profileId, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }

  /** Cancels the waiting deliveries of {@code profileId} (deleted); those being attempted finish as cancelled. */
  public static Future<Integer> cancel(SqlClient tx, String profileId, Instant now) {
    return tx.preparedQuery(CANCEL).execute(Tuple.of(profileId, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }
}
