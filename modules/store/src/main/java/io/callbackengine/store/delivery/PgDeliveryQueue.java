package io.callbackengine.store.delivery;

import static io.callbackengine.store.PgTimestamps.instant;
import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.profile.FailureStreak;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link DeliveryQueue} on PostgreSQL: the claim is one {@code FOR UPDATE SKIP LOCKED ... RETURNING} statement that
 * also brings the event; a finish is one transaction for a whole batch of outcomes (deliveries moved and attempts
 * recorded in one statement, then the profiles' failure streaks).
 */
public final class PgDeliveryQueue implements DeliveryQueue {

  /**
   * Leases due deliveries, oldest first, giving each profile no more than its room: candidates are locked
   * ({@code SKIP LOCKED}, so dispatchers never wait on each other), ranked per profile, and only those within
   * their profile's room are taken; the others are unlocked again when the statement ends.
   */
  private static final String CLAIM = """
      with candidates as (
        select delivery_id, profile_id, next_attempt_at from deliveries
        where status = 'pending' and next_attempt_at <= now() and profile_id <> all($8::text[])
        order by next_attempt_at
        limit $5
        for update skip locked
      ), ranked as (
        select c.delivery_id, c.next_attempt_at,
               row_number() over (partition by c.profile_id order by c.next_attempt_at) as n,
               coalesce(busy.room, $6) as room
          from candidates c
          left join unnest($3::text[], $7::int[]) as busy(profile_id, room) on busy.profile_id = c.profile_id
      ), due as (
        select delivery_id from ranked where n <= room order by next_attempt_at limit $1
      )
      update deliveries d
         set status = 'delivering', lease_token = $2, lease_expires_at = now() + $4::bigint * interval '1 millisecond'
        from due, events e, profiles p
       where d.delivery_id = due.delivery_id and e.event_id = d.event_id and p.profile_id = d.profile_id
      returning d.delivery_id, d.profile_id, p.revision, d.sid, d.attempt_count, d.created_at,
                e.event_id, e.event, e.channel, e.data
      """;
  /** Where a delivery goes when it is not being attempted: it follows its profile's state. */
  private static final String WAITING_STATUS = """
      case when p.deleted_at is not null then 'cancelled' when p.status <> 1 then 'held' else 'pending' end""";
  private static final String RELEASE = "update deliveries d set status = " + WAITING_STATUS + """
      , lease_token = null, lease_expires_at = null
        from profiles p
       where d.delivery_id = any($2) and d.lease_token = $1 and d.status = 'delivering' and p.profile_id = d.profile_id
      """;
  private static final String REAP = "update deliveries d set status = " + WAITING_STATUS + """
      , lease_token = null, lease_expires_at = null
        from profiles p
       where d.status = 'delivering' and d.lease_expires_at < now() and p.profile_id = d.profile_id
      """;
  /** Moves each leased delivery on (fenced by its lease token) and records its attempt, in one statement. */
  private static final String FINISH = """
      with o as (
        select * from unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::timestamptz[],
                             $7::int[], $8::int[], $9::text[], $10::text[], $11::text[])
          as o(delivery_id, lease_token, status, next_attempt_at, attempt, started_at, duration_ms, http_status,
               error, excerpt, unknown)
      ), moved as (
        update deliveries d
           set status = case when o.status = 'pending' then""" + " " + WAITING_STATUS + " " + """
      else o.status end,
               attempt_count = o.attempt,
               next_attempt_at = coalesce(o.next_attempt_at, d.next_attempt_at),
               lease_token = null, lease_expires_at = null,
               finished_at = case when o.status = 'pending' and p.deleted_at is null then null else $12::timestamptz end,
               last_http_status = o.http_status,
               last_error = o.error
          from o, profiles p
         where d.delivery_id = o.delivery_id and d.lease_token = o.lease_token and d.status = 'delivering'
           and p.profile_id = d.profile_id
        returning d.delivery_id
      )
      insert into attempts (delivery_id, attempt, started_at, duration_ms, http_status, error, response_excerpt,
                            unknown_placeholders)
      select o.delivery_id, o.attempt, o.started_at, o.duration_ms, o.http_status, o.error, o.excerpt,
             case when o.unknown is null then null else array(select jsonb_array_elements_text(o.unknown::jsonb)) end
        from o join moved using (delivery_id)
      on conflict (delivery_id, attempt) do nothing
      returning delivery_id
      """;
  private static final String RESET_STREAKS = """
      update profiles set consecutive_failures = 0, failing_since = null, last_failure_at = null
       where profile_id = any($1) and consecutive_failures > 0
      """;
  private static final String LOCK_STREAKS = """
      select profile_id, status, consecutive_failures, failing_since, last_failure_at from profiles
       where profile_id = any($1) order by profile_id for update
      """;
  private static final String UPDATE_STREAKS = """
      update profiles p
         set consecutive_failures = u.failures, failing_since = u.since, last_failure_at = u.last_failure,
             status = case when u.disable and p.status = 1 then 2 else p.status end,
             revision = case when u.disable and p.status = 1 then p.revision + 1 else p.revision end
        from unnest($1::text[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::bool[])
          as u(profile_id, failures, since, last_failure, disable)
       where p.profile_id = u.profile_id
      """;
  private static final String HOLD = """
      update deliveries set status = 'held' where profile_id = any($1) and status = 'pending'
      """;

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
    Integer[] busyRooms = java.util.Arrays.stream(busyIds).map(busyProfiles::get).toArray(Integer[]::new);
    Tuple args = Tuple.tuple().addInteger(limit).addUUID(leaseToken).addArrayOfString(busyIds).addLong(lease.toMillis())
        .addInteger(Math.min(CANDIDATE_WINDOW, limit * 4)).addInteger(roomPerProfile).addArrayOfInteger(busyRooms)
        .addArrayOfString(full.toArray(String[]::new));
    return pool.preparedQuery(CLAIM).execute(args).map(rows -> {
      List<ClaimedDelivery> claimed = new ArrayList<>(rows.size());
      for (Row row : rows) {
        claimed.add(new ClaimedDelivery(row.getString("delivery_id"), row.getString("profile_id"),
            row.getLong("revision"), row.getString("sid"), row.getInteger("attempt_count") + 1, leaseToken,
            instant(row, "created_at"), row.getString("event_id"), row.getString("event"), row.getString("channel"),
            row.getString("data")));
      }
      claimed.sort(Comparator.comparing(ClaimedDelivery::createdAt));
      return claimed;
    });
  }

  @Override
  public Future<Integer> release(UUID leaseToken, Collection<String> deliveryIds) {
    if (deliveryIds.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return pool.preparedQuery(RELEASE).execute(Tuple.tuple().addUUID(leaseToken).addArrayOfString(deliveryIds.toArray(String[]::new)))
        .map(rows -> rows.rowCount());
  }

  @Override
  public Future<Integer> reapExpiredLeases() {
    return pool.query(REAP).execute().map(rows -> rows.rowCount());
  }

  @Override
  public Future<FinishResult> finish(List<AttemptOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture(new FinishResult(0, List.of()));
    }
    return pool.withTransaction(tx -> tx.preparedQuery(FINISH).execute(finishArgs(outcomes)).compose(rows -> {
      Set<String> recorded = new HashSet<>();
      rows.forEach(row -> recorded.add(row.getString(0)));
      List<AttemptOutcome> counted = outcomes.stream().filter(o -> recorded.contains(o.deliveryId())).toList();
      return updateStreaks(tx, counted).map(disabled -> new FinishResult(recorded.size(), disabled));
    }));
  }

  private static Tuple finishArgs(List<AttemptOutcome> outcomes) {
    int n = outcomes.size();
    String[] ids = new String[n];
    UUID[] tokens = new UUID[n];
    String[] statuses = new String[n];
    OffsetDateTime[] nextAt = new OffsetDateTime[n];
    Integer[] attempts = new Integer[n];
    OffsetDateTime[] startedAt = new OffsetDateTime[n];
    Integer[] durations = new Integer[n];
    Integer[] httpStatuses = new Integer[n];
    String[] errors = new String[n];
    String[] excerpts = new String[n];
    String[] unknown = new String[n];
    for (int i = 0; i < n; i++) {
      AttemptOutcome o = outcomes.get(i);
      ids[i] = o.deliveryId();
      tokens[i] = o.leaseToken();
      statuses[i] = o.next().status();
      nextAt[i] = utc(o.nextAttemptAt());
      attempts[i] = o.attempt();
      startedAt[i] = utc(o.startedAt());
      durations[i] = o.durationMs();
      httpStatuses[i] = o.httpStatus();
      errors[i] = o.error();
      excerpts[i] = o.responseExcerpt();
      unknown[i] = o.unknownPlaceholders() == null || o.unknownPlaceholders().isEmpty()
          ? null : new JsonArray(o.unknownPlaceholders()).encode();
    }
    return Tuple.of(ids, tokens, statuses, nextAt, attempts, startedAt, durations, httpStatuses, errors, excerpts,
        unknown, utc(Instant.now()));
  }

  /** Successes end a profile's failure streak; failures extend it, and may auto-disable the profile. */
  private Future<List<String>> updateStreaks(SqlConnection tx, List<AttemptOutcome> outcomes) {
    Map<String, List<AttemptOutcome>> byProfile = new LinkedHashMap<>();
    outcomes.stream().sorted(Comparator.comparing(AttemptOutcome::finishedAt))
        .forEach(o -> byProfile.computeIfAbsent(o.profileId(), id -> new ArrayList<>()).add(o));
    List<String> allSucceeded = new ArrayList<>();
    List<String> someFailed = new ArrayList<>();
    byProfile.forEach((id, list) -> (list.stream().allMatch(AttemptOutcome::succeeded) ? allSucceeded : someFailed).add(id));
    Future<?> resets = allSucceeded.isEmpty() ? Future.succeededFuture()
        : tx.preparedQuery(RESET_STREAKS).execute(Tuple.of(allSucceeded.toArray(String[]::new)));
    if (someFailed.isEmpty()) {
      return resets.map(List.of());
    }
    return resets
        .compose(done -> tx.preparedQuery(LOCK_STREAKS).execute(Tuple.of(someFailed.toArray(String[]::new))))
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
            boolean disables = row.getShort("status") == 1 && (gone || autoDisable.disables(streak));
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
                  : tx.preparedQuery(HOLD).execute(Tuple.of(disabled.toArray(String[]::new))))
              .map(done -> disabled);
        });
  }
}
