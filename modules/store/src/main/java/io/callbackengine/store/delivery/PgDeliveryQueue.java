package io.callbackengine.store.delivery;

import static io.callbackengine.store.PgTimestamps.instant;
import static io.callbackengine.store.PgTimestamps.utc;
import static io.callbackengine.store.delivery.DeliveryTransitions.sql;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.domain.profile.FailureStreak;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.store.SqlErrors;
import io.callbackengine.store.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@link DeliveryQueue} on PostgreSQL. The claim is one {@code FOR UPDATE SKIP LOCKED ... RETURNING} statement that
 * also brings the event; a finish is one statement for a whole batch of outcomes (finished deliveries moved from the
 * queue into the log with their last attempt folded in, retried ones updated and their attempt logged), in a
 * transaction with the profiles' failure streaks only when some attempt failed.
 */
public final class PgDeliveryQueue implements DeliveryQueue {

  /** Which queue rows a claim moves into a lease row of their own (see {@link #CLAIM}): an SQL condition on {@code q}. */
  private static final String LEAVES_AT_CLAIM =
      "q.attempt_count = 0 and q.retry_base = 0 and q.ordering_key is null and q.event_created_at = q.created_at";
  /**
   * Leases due deliveries, oldest first, giving each profile no more than its room: candidates are locked
   * ({@code SKIP LOCKED}, so dispatchers never wait on each other), ranked per profile, and only those within
   * their profile's room are taken; the others are unlocked again when the statement ends. A delivery with an
   * ordering key is taken only when no earlier one of its profile and key is in the queue (only heads are due at all,
   * but two publishes racing for a new key can both make theirs due: the earlier goes first).
   *
   * <p>Two ways out, by what the delivery has been through. One never attempted, without an ordering key and created
   * with its event (what a publish queued because it could not hand it over, or what was put back unattempted) leaves
   * the queue: it is deleted here and leased as a publish's handed-over delivery is, by a {@code delivery_handoff} row
   * (V11), one per publish time among those taken, each with a lease token of its own; its finish then writes the log
   * row alone. Updated in place and deleted by its finish instead, as every claimed delivery was until 2026-12-03, it
   * cost a second heap row, two index entries and the finish's delete besides: about 2,015 bytes of WAL per delivery
   * through the queue against 1,735 now, and 840 for one handed over at publish (README, Performance, eleventh
   * session). Any other delivery (a retry, a replay, one with an ordering key, whose attempt count, retry base, key
   * and last answer the handoff row has no place for) stays in the queue, leased in place: {@code delivering} under
   * the claim's token, its {@code due_at} when the lease expires.
   *
   * <p>Both find their queue rows as {@code delivery_id = any(array(...))}: look-ups in the queue's primary key,
   * whatever PostgreSQL guesses of the CTE's size. Joined to the CTE instead, on a connection that planned the claim
   * while the queue was empty, they read the whole queue by that key on every run (see
   * {@link io.callbackengine.store.DatabaseSettings#queueConnectOptions()} and {@code QueuePlanIT}).
   */
  static final String CLAIM = """
      with candidates as (
        select q.delivery_id, q.profile_id, q.due_at from delivery_queue q
        where q.status = ':pending' and q.due_at <= now() and q.profile_id <> all($8::text[])
          and (q.ordering_key is null or not exists (
                select 1 from delivery_queue e
                 where e.profile_id = q.profile_id and e.ordering_key = q.ordering_key
                   and e.ordering_seq < q.ordering_seq))
        order by q.due_at
        limit $5
        for update of q skip locked
      ), ranked as (
        select c.delivery_id, c.due_at,
               row_number() over (partition by c.profile_id order by c.due_at) as n,
               coalesce(busy.room, $6) as room
          from candidates c
          left join unnest($3::text[], $7::int[]) as busy(profile_id, room) on busy.profile_id = c.profile_id
      ), due as (
        select delivery_id from ranked where n <= room order by due_at limit $1
      ), moved as (
        delete from delivery_queue q using event_log e, profiles p
         where q.delivery_id = any(array(select delivery_id from due)) and %1$s
           and e.event_id = q.event_id and e.created_at = q.event_created_at and p.profile_id = q.profile_id
        returning q.delivery_id, q.profile_id, p.revision, q.sid, q.attempt_count, q.retry_base, q.created_at,
                  e.event_id, e.event, e.channel, e.data
      ), leases as materialized (
        select created_at, gen_random_uuid() as lease_token from moved group by created_at
      ), handed as (
        insert into delivery_handoff (lease_token, accepted_at, expires_at, delivery_ids, event_ids, sids, profile_ids)
        select l.lease_token, l.created_at, now() + $4::bigint * interval '1 millisecond', array_agg(m.delivery_id),
               array_agg(m.event_id), array_agg(m.sid), array_agg(m.profile_id)
          from moved m join leases l on l.created_at = m.created_at
         group by l.lease_token, l.created_at
      ), leased as (
        update delivery_queue q
           set status = ':delivering', lease_token = $2, due_at = now() + $4::bigint * interval '1 millisecond'
          from event_log e, profiles p
         where q.delivery_id = any(array(select delivery_id from due)) and not (%1$s)
           and e.event_id = q.event_id and e.created_at = q.event_created_at and p.profile_id = q.profile_id
        returning q.delivery_id, q.profile_id, p.revision, q.sid, q.attempt_count, q.retry_base, q.created_at,
                  e.event_id, e.event, e.channel, e.data
      )
      select m.*, l.lease_token, true as handed_over from moved m join leases l on l.created_at = m.created_at
      union all
      select q.*, $2::uuid, false from leased q
      """.formatted(LEAVES_AT_CLAIM).transform(DeliveryTransitions::sql);
  private static final String RELEASE =
      DeliveryTransitions.returnToQueue("q.delivery_id = any($2) and q.lease_token = $1");
  /**
   * Handed-over deliveries back to the queue: $1 their lease (handoff row), $2..$5 the deliveries (id, event,
   * account, profile), $6 when they were created, $7 whether they are the last of their handoff (its row is deleted,
   * else locked for the statement). Nothing moves when the row is gone: the reaper took them back already.
   */
  private static final String RELEASE_HANDED = DeliveryTransitions.returnHandedOver("""
      ended as (
        delete from delivery_handoff where lease_token = $1 and $7 returning lease_token
      ), fenced as (
        select lease_token from delivery_handoff where lease_token = $1 and not $7 for key share
      ), handed as (
        select u.delivery_id, u.event_id, $6::timestamptz as created_at, u.sid, u.profile_id
          from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) as u(delivery_id, event_id, sid, profile_id)
         where exists (select 1 from ended) or exists (select 1 from fenced)
      )""");
  private static final String REAP = DeliveryTransitions.returnToQueue("q.due_at < now()");
  /**
   * The handoffs whose lease expired, locked: a finish or release of their deliveries that is running holds its
   * lock until it commits, and is waited for by the next statement's snapshot being taken after this one.
   */
  private static final String EXPIRED_HANDOFFS = """
      select lease_token from delivery_handoff where expires_at < now() for update skip locked
      """;
  /** $1 expired handoffs: their rows go, and their deliveries that were not recorded go back to the queue. */
  private static final String REAP_HANDOFFS = DeliveryTransitions.returnHandedOver("""
      gone as (
        delete from delivery_handoff where lease_token = any($1::uuid[])
        returning accepted_at, delivery_ids, event_ids, sids, profile_ids
      ), handed as (
        select u.delivery_id, u.event_id, g.accepted_at as created_at, u.sid, u.profile_id
          from gone g cross join lateral unnest(g.delivery_ids, g.event_ids, g.sids, g.profile_ids)
                        as u(delivery_id, event_id, sid, profile_id)
      )""");
  /**
   * Makes due the first delivery of every ordering key whose deliveries all wait. The finish statement promotes the
   * next delivery of a key in the same transaction, but it cannot see a publish still in flight: a publish that saw
   * the head still queued puts its delivery behind it, and if the head's finish commits just then, nothing is left to
   * promote it. This sweep, with the lease reaper, bounds that wait to the reaper's interval; the claim's guard keeps
   * the order. It reads every keyed delivery in the queue (the partial index by key), once per interval.
   */
  private static final String UNSTICK_KEYS = """
      update delivery_queue q set due_at = now()
        from (select distinct on (profile_id, ordering_key) delivery_id, due_at
                from delivery_queue where ordering_key is not null
               order by profile_id, ordering_key, ordering_seq) head
       where q.delivery_id = head.delivery_id and head.due_at = 'infinity'
      """;
  /**
   * $1.. the outcomes, fenced by lease token: finished ones (and retries of a deleted profile, cancelled) leave the
   * queue for the log with this attempt folded in; retries go back to the queue (held while the profile is disabled)
   * and their attempt goes to the attempt log. $12 now; $13 profiles whose failure streak ends (every outcome of the
   * batch succeeded). $14..$17 for a handed-over delivery (null for a claimed one) its event, account, profile and
   * creation, which no queue row holds: it goes straight to the log, or into the queue for a retry, fenced by its
   * handoff row instead of a queue row; $18 the handoffs whose rows go with this statement. Queue rows are found by
   * key, {@code delivery_id = any(array(...))}, as in {@link #CLAIM}.
   */
  static final String FINISH = finish("");
  /**
   * {@link #FINISH} for a batch whose first write may have committed unseen (the connection failed as it committed):
   * a handed-over delivery already in the log is left as it is. Not the everyday statement, as PostgreSQL's
   * speculative insertion for {@code on conflict} made the log insert take four times as long per row.
   */
  private static final String FINISH_REPEATED = finish("on conflict do nothing");

  private static String finish(String handedLoggedConflict) {
    return sql("""
      with o as (
        select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::timestamptz[],
                             $7::int[], $8::int[], $9::text[], $10::text[], $11::text[], $14::uuid[], $15::text[],
                             $16::text[], $17::timestamptz[])
          as o(delivery_id, lease_token, status, retry_at, attempt, started_at, duration_ms, http_status,
               error, excerpt, unknown, event_id, sid, profile_id, created_at)
      ), finished as (
        delete from delivery_queue q using o, profiles p
         where q.delivery_id = any(array(select delivery_id from o where event_id is null))
           and o.event_id is null and q.delivery_id = o.delivery_id and q.lease_token = o.lease_token
           and q.status = ':delivering' and p.profile_id = q.profile_id
           and (o.status <> ':pending' or p.deleted_at is not null)
        returning q.delivery_id, q.event_id, q.event_created_at, q.sid, q.profile_id, q.created_at,
                  case when o.status = ':pending' then ':cancelled' else o.status end as status,
                  o.attempt, o.started_at, o.duration_ms, o.http_status, o.error, o.excerpt, o.unknown, q.ordering_key
      ), logged as (
        insert into delivery_log (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                  created_at, finished_at, last_started_at, last_duration_ms, last_http_status,
                                  last_error, last_response_excerpt, last_unknown_placeholders, ordering_key)
        select delivery_id, event_id, event_created_at, sid, profile_id, status, attempt, created_at, $12,
               started_at, duration_ms, http_status, error, excerpt,
               case when unknown is null then null else array(select jsonb_array_elements_text(unknown::jsonb)) end,
               ordering_key
          from finished
      ), promoted as (
        -- The next delivery of each key a finished one held back becomes due. (This statement still sees the rows
        -- it deletes: they are left out by id. Like every data-modifying CTE it runs whether read or not.)
        update delivery_queue q set due_at = $12
         where q.delivery_id = any(array(
                 select next.delivery_id
                   from (select distinct on (n.profile_id, n.ordering_key) n.delivery_id, n.due_at
                           from delivery_queue n
                           join (select distinct profile_id, ordering_key from finished
                                  where ordering_key is not null) k
                             on k.profile_id = n.profile_id and k.ordering_key = n.ordering_key
                          where n.delivery_id <> all(array(select delivery_id from finished))
                          order by n.profile_id, n.ordering_key, n.ordering_seq) next
                  where next.due_at = 'infinity'))
        returning 1
      ), retried as (
        update delivery_queue q
           set status = case when p.status <> :active then ':held' else ':pending' end, due_at = o.retry_at,
               attempt_count = o.attempt, lease_token = null, last_http_status = o.http_status, last_error = o.error
          from o, profiles p
         where q.delivery_id = any(array(select delivery_id from o where event_id is null))
           and o.event_id is null and q.delivery_id = o.delivery_id and q.lease_token = o.lease_token
           and q.status = ':delivering' and p.profile_id = q.profile_id and o.status = ':pending'
           and p.deleted_at is null
        returning q.delivery_id, q.created_at, o.attempt, o.started_at, o.duration_ms, o.http_status, o.error,
                  o.excerpt, o.unknown
      ), ended as (
        -- Handed-over deliveries (event_id set) have no queue row: their lease is a handoff row (V11), deleted
        -- with the last of them ($18) or locked until this statement commits; without it they are not recorded.
        delete from delivery_handoff where lease_token = any($18::uuid[]) returning lease_token
      ), fenced as (
        select lease_token from delivery_handoff
         where lease_token = any(array(select lease_token from o where event_id is not null))
           and lease_token <> all($18::uuid[])
           for key share
      ), handed as (
        select o.*, p.deleted_at is not null as deleted, p.status as profile_status
          from o join profiles p on p.profile_id = o.profile_id
         where o.event_id is not null
           and o.lease_token in (select lease_token from ended union all select lease_token from fenced)
      ), handed_logged as (
        insert into delivery_log (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                  created_at, finished_at, last_started_at, last_duration_ms, last_http_status,
                                  last_error, last_response_excerpt, last_unknown_placeholders)
        select delivery_id, event_id, created_at, sid, profile_id,
               case when status = ':pending' then ':cancelled' else status end, attempt, created_at, $12,
               started_at, duration_ms, http_status, error, excerpt,
               case when unknown is null then null else array(select jsonb_array_elements_text(unknown::jsonb)) end
          from handed where status <> ':pending' or deleted
        %s
        returning delivery_id
      ), handed_retried as (
        insert into delivery_queue (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count,
                                    due_at, created_at, last_http_status, last_error)
        select delivery_id, event_id, created_at, sid, profile_id,
               case when profile_status <> :active then ':held' else ':pending' end, attempt, retry_at, created_at,
               http_status, error
          from handed h
         where status = ':pending' and not deleted
           and not exists (select 1 from delivery_log l where l.delivery_id = h.delivery_id and l.created_at = h.created_at)
        on conflict do nothing
        returning delivery_id
      ), attempted as (
        insert into attempt_log (delivery_id, attempt, delivery_created_at, started_at, duration_ms, http_status,
                                 error, response_excerpt, unknown_placeholders)
        select delivery_id, attempt, created_at, started_at, duration_ms, http_status, error, excerpt,
               case when unknown is null then null else array(select jsonb_array_elements_text(unknown::jsonb)) end
          from (select delivery_id, attempt, created_at, started_at, duration_ms, http_status, error, excerpt, unknown
                  from retried
                union all
                select h.delivery_id, h.attempt, h.created_at, h.started_at, h.duration_ms, h.http_status, h.error,
                       h.excerpt, h.unknown
                  from handed h join handed_retried r on r.delivery_id = h.delivery_id) a
        on conflict do nothing
      ), streaks_ended as (
        update profiles set consecutive_failures = 0, failing_since = null, last_failure_at = null
         where profile_id = any($13) and consecutive_failures > 0
      )
      select delivery_id from finished union all select delivery_id from retried
      union all select delivery_id from handed_logged union all select delivery_id from handed_retried
      """.formatted(handedLoggedConflict));
  }

  private static final String LOCK_STREAKS = """
      select profile_id, status, consecutive_failures, failing_since, last_failure_at from profiles
       where profile_id = any($1) order by profile_id for update
      """;
  private static final String UPDATE_STREAKS = sql("""
      update profiles p
         set consecutive_failures = u.failures, failing_since = u.since, last_failure_at = u.last_failure,
             status = case when u.disable and p.status = :active then :auto_disabled else p.status end,
             revision = case when u.disable and p.status = :active then p.revision + 1 else p.revision end
        from unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::bool[])
          as u(profile_id, failures, since, last_failure, disable)
       where p.profile_id = u.profile_id
      """.replace(":auto_disabled", Integer.toString(ProfileStatus.AUTO_DISABLED.code())));

  /** How many due deliveries one claim looks at, at most, to find those within their profiles' room. */
  private static final int CANDIDATE_WINDOW = 1000;

  private final Pool pool;
  private final FailureStreak.Policy autoDisable;

  public PgDeliveryQueue(Pool pool, FailureStreak.Policy autoDisable) {
    this.pool = pool;
    this.autoDisable = autoDisable;
  }

  @Override
  public Future<List<ClaimedDelivery>> claim(int limit, UUID leaseToken, Duration lease, Map<String, Integer> busyProfiles,
      int roomPerProfile) {
    List<String> full = new ArrayList<>();
    busyProfiles.forEach((id, room) -> {
      if (room <= 0) {
        full.add(id);
      }
    });
    String[] busyIds = busyProfiles.keySet().toArray(String[]::new);
    Integer[] busyRooms = Arrays.stream(busyIds).map(busyProfiles::get).toArray(Integer[]::new);
    Tuple args = Tuple.tuple().addInteger(limit).addUUID(leaseToken).addArrayOfString(busyIds).addLong(lease.toMillis())
        .addInteger(Math.min(CANDIDATE_WINDOW, limit * 4)).addInteger(roomPerProfile).addArrayOfInteger(busyRooms)
        .addArrayOfString(full.toArray(String[]::new));
    return pool.preparedQuery(CLAIM).execute(args).map(rows -> {
      List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
      for (Row row : rows) {
        claimed.add(new ClaimedDelivery(TimeOrderedIds.format(TimeOrderedIds.DELIVERY, row.getUUID("delivery_id")),
            row.getString("profile_id"), row.getLong("revision"), row.getString("sid"),
            row.getInteger("attempt_count") + 1, row.getUUID("lease_token"), instant(row, "created_at"),
            TimeOrderedIds.format(TimeOrderedIds.EVENT, row.getUUID("event_id")), row.getString("event"),
            row.getString("channel"), EventData.stored(row.getString("data")), row.getInteger("retry_base"),
            row.getBoolean("handed_over")));
      }
      claimed.sort(Comparator.comparing(ClaimedDelivery::createdAt));
      return claimed;
    });
  }

  @Override
  public Future<Integer> release(UUID leaseToken, List<ClaimedDelivery> deliveries, boolean endsHandoff) {
    if (deliveries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    UUID[] ids = deliveries.stream().map(d -> uuid(d.deliveryId())).toArray(UUID[]::new);
    boolean handedOver = deliveries.get(0).handedOver();
    Tuple args = Tuple.tuple().addUUID(leaseToken).addArrayOfUUID(ids);
    if (handedOver) {
      args.addArrayOfUUID(deliveries.stream().map(d -> eventUuid(d.eventId())).toArray(UUID[]::new))
          .addArrayOfString(deliveries.stream().map(ClaimedDelivery::sid).toArray(String[]::new))
          .addArrayOfString(deliveries.stream().map(ClaimedDelivery::profileId).toArray(String[]::new))
          .addOffsetDateTime(utc(deliveries.get(0).createdAt()))
          .addBoolean(endsHandoff);
    }
    String statement = handedOver ? RELEASE_HANDED : RELEASE;
    return pool.withTransaction(tx -> tx.preparedQuery(statement).execute(args)
        .map(rows -> rows.iterator().next().getLong(0).intValue())
        .compose(returned -> returned == 0 ? Future.succeededFuture(0)
            : tx.query(DeliveryWakeup.NOTIFY_SQL).execute().map(returned)));
  }

  @Override
  public Future<Integer> reapExpiredLeases() {
    return pool.query(REAP).execute().map(rows -> rows.iterator().next().getLong(0).intValue())
        .compose(reaped -> reapHandoffs().map(handedBack -> reaped + handedBack))
        .compose(reaped -> pool.query(UNSTICK_KEYS).execute().map(unstuck -> reaped + unstuck.rowCount()));
  }

  /** Expired handoffs: locked first, then taken back in a statement that sees every finish that held them. */
  private Future<Integer> reapHandoffs() {
    return pool.withTransaction(tx -> tx.query(EXPIRED_HANDOFFS).execute().compose(expired -> {
      if (expired.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<UUID> tokens = new ArrayList<>();
      expired.forEach(row -> tokens.add(row.getUUID(0)));
      return tx.preparedQuery(REAP_HANDOFFS).execute(Tuple.of(tokens.toArray(UUID[]::new)))
          .map(rows -> rows.iterator().next().getLong(0).intValue());
    }));
  }

  @Override
  public Future<FinishResult> finish(List<AttemptOutcome> outcomes, Set<UUID> handoffsEnded) {
    return finish(outcomes, handoffsEnded, FINISH).recover(e -> SqlErrors.isUniqueViolation(e, null)
        ? finish(outcomes, handoffsEnded, FINISH_REPEATED) : Future.failedFuture(e));
  }

  private Future<FinishResult> finish(List<AttemptOutcome> outcomes, Set<UUID> handoffsEnded, String statement) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture(new FinishResult(0, List.of()));
    }
    Map<String, List<AttemptOutcome>> byProfile = new LinkedHashMap<>();
    outcomes.stream().sorted(Comparator.comparing(AttemptOutcome::finishedAt))
        .forEach(o -> byProfile.computeIfAbsent(o.profileId(), id -> new ArrayList<>()).add(o));
    List<String> allSucceeded = new ArrayList<>();
    List<String> someFailed = new ArrayList<>();
    byProfile.forEach((id, list) -> (list.stream().allMatch(AttemptOutcome::succeeded) ? allSucceeded : someFailed).add(id));
    Tuple args = finishArgs(outcomes, allSucceeded, handoffsEnded);
    if (someFailed.isEmpty()) {
      // Every attempt succeeded: one statement, no transaction around it.
      return pool.preparedQuery(statement).execute(args).map(rows -> new FinishResult(rows.rowCount(), List.of()));
    }
    return pool.withTransaction(tx -> tx.preparedQuery(statement).execute(args).compose(rows -> {
      Set<String> recorded = new HashSet<>();
      rows.forEach(row -> recorded.add(TimeOrderedIds.format(TimeOrderedIds.DELIVERY, row.getUUID(0))));
      Map<String, List<AttemptOutcome>> counted = new LinkedHashMap<>();
      someFailed.forEach(id -> {
        List<AttemptOutcome> mine = byProfile.get(id).stream().filter(o -> recorded.contains(o.deliveryId())).toList();
        if (!mine.isEmpty()) {
          counted.put(id, mine);
        }
      });
      return updateStreaks(tx, counted).map(disabled -> new FinishResult(recorded.size(), disabled));
    }));
  }

  private static UUID uuid(String deliveryId) {
    return TimeOrderedIds.parse(TimeOrderedIds.DELIVERY, deliveryId)
        .orElseThrow(() -> new IllegalArgumentException("not a delivery id: " + deliveryId));
  }

  private static UUID eventUuid(String eventId) {
    return TimeOrderedIds.parse(TimeOrderedIds.EVENT, eventId)
        .orElseThrow(() -> new IllegalArgumentException("not an event id: " + eventId));
  }

  private static Tuple finishArgs(List<AttemptOutcome> outcomes, List<String> allSucceeded, Set<UUID> handoffsEnded) {
    int n = outcomes.size();
    UUID[] ids = new UUID[n];
    UUID[] tokens = new UUID[n];
    String[] statuses = new String[n];
    OffsetDateTime[] retryAt = new OffsetDateTime[n];
    Integer[] attempts = new Integer[n];
    OffsetDateTime[] startedAt = new OffsetDateTime[n];
    Integer[] durations = new Integer[n];
    Integer[] httpStatuses = new Integer[n];
    String[] errors = new String[n];
    String[] excerpts = new String[n];
    String[] unknown = new String[n];
    UUID[] eventIds = new UUID[n];
    String[] sids = new String[n];
    String[] profileIds = new String[n];
    OffsetDateTime[] createdAt = new OffsetDateTime[n];
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      AttemptOutcome o = outcomes.get(i);
      DeliveryRecord.Attempt attempt = o.attempt();
      ids[i] = uuid(o.deliveryId());
      tokens[i] = o.leaseToken();
      statuses[i] = o.outcome().status().sql();
      retryAt[i] = o.outcome() instanceof DeliveryOutcome.Retry retry ? utc(retry.at()) : utc(now);
      attempts[i] = attempt.attempt();
      startedAt[i] = utc(attempt.startedAt());
      durations[i] = attempt.durationMs();
      httpStatuses[i] = attempt.httpStatus();
      errors[i] = attempt.error();
      excerpts[i] = attempt.responseExcerpt();
      unknown[i] = attempt.unknownPlaceholders() == null || attempt.unknownPlaceholders().isEmpty()
          ? null : new JsonArray(attempt.unknownPlaceholders()).encode();
      AttemptOutcome.HandedOver handedOver = o.handedOver();
      if (handedOver != null) {
        eventIds[i] = eventUuid(handedOver.eventId());
        sids[i] = handedOver.sid();
        profileIds[i] = o.profileId();
        createdAt[i] = utc(handedOver.createdAt());
      }
    }
    return Tuple.of(ids, tokens, statuses, retryAt, attempts, startedAt, durations, httpStatuses, errors, excerpts,
        unknown, utc(now)).addArrayOfString(allSucceeded.toArray(String[]::new)).addArrayOfUUID(eventIds)
        .addArrayOfString(sids).addArrayOfString(profileIds).addArrayOfOffsetDateTime(createdAt)
        .addArrayOfUUID(handoffsEnded.toArray(UUID[]::new));
  }

  /** Failures extend a profile's failure streak, and may auto-disable the profile (its waiting deliveries held). */
  private Future<List<String>> updateStreaks(SqlConnection tx, Map<String, List<AttemptOutcome>> byProfile) {
    if (byProfile.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return tx.preparedQuery(LOCK_STREAKS).execute(Tuple.of(byProfile.keySet().toArray(String[]::new)))
        .compose(rows -> {
          List<String> ids = new ArrayList<>();
          List<Integer> counts = new ArrayList<>();
          List<OffsetDateTime> since = new ArrayList<>();
          List<OffsetDateTime> last = new ArrayList<>();
          List<Boolean> disable = new ArrayList<>();
          List<String> disabled = new ArrayList<>();
          for (Row row : rows) {
            String id = row.getString("profile_id");
            FailureStreak streak = new FailureStreak(row.getInteger("consecutive_failures"),
                instant(row, "failing_since"), instant(row, "last_failure_at"));
            boolean gone = false;
            for (AttemptOutcome o : byProfile.get(id)) {
              streak = o.succeeded() ? streak.afterSuccess() : streak.afterFailure(o.finishedAt(), autoDisable.window());
              gone |= o.gone();
            }
            boolean disables = row.getShort("status") == ProfileStatus.ACTIVE.code() && (gone || autoDisable.disables(streak));
            ids.add(id);
            counts.add(streak.count());
            since.add(utc(streak.since()));
            last.add(utc(streak.lastFailureAt()));
            disable.add(disables);
            if (disables) {
              disabled.add(id);
            }
          }
          Tuple args = Tuple.of(ids.toArray(String[]::new), counts.toArray(Integer[]::new),
              since.toArray(OffsetDateTime[]::new), last.toArray(OffsetDateTime[]::new), disable.toArray(Boolean[]::new));
          return tx.preparedQuery(UPDATE_STREAKS).execute(args)
              .compose(updated -> disabled.isEmpty() ? Future.succeededFuture()
                  : DeliveryTransitions.hold(tx, disabled))
              .map(done -> disabled);
        });
  }
}
