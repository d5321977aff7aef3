package io.callbackengine.store.profile;

import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.crypto.SecretSealer;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.store.SqlErrors;
import io.callbackengine.store.delivery.DeliveryTransitions;
import io.callbackengine.store.delivery.DeliveryWakeup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ProfileStore} on PostgreSQL: the statements of the profile API and the dispatcher's look-up ({@code
 * ProfileRows} maps the rows). A change carries the profile's waiting deliveries along (held, released, cancelled) in
 * its own transaction, with the statements of {@link DeliveryTransitions}. Statements of other aggregates that need
 * profiles keep that SQL with their own: the publish statement routes events to them ({@code PgEventStore}),
 * recording attempts keeps their failure streaks and auto-disables them ({@code PgDeliveryQueue}), and the delivery
 * log and the queue gauges read them.
 */
public final class PgProfileStore implements ProfileStore {

  private static final String INSERT = """
      insert into profiles (profile_id, sid, title, http_method, url, headers, body, response_message, enc_algo,
        enc_key, enc_iv, enc_params, channel, events, dynamic_variables, replacers, status, signing_secret,
        previous_signing_secret, previous_secret_expires_at, created_at, modified_at, body_type, auth, auth_secret,
        policy)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
        $24, $25, $26)
      """;
  private static final String FIND = "select " + ProfileRows.COLUMNS + """
       from profiles where sid = $1 and profile_id = $2 and deleted_at is null
      """;
  private static final String FILTER = """
       from profiles
      where sid = $1 and deleted_at is null
        and ($2::text is null or title ilike $2 escape '\\')
        and ($3::smallint is null or status = $3)
        and ($4::text is null or channel = $4)
        and ($5::text is null or events is null or events @> array[$5::text])
      """;
  private static final String LIST = "select " + ProfileRows.COLUMNS + FILTER
      + " order by created_at, profile_id limit $6 offset $7";
  private static final String COUNT = "select count(*)" + FILTER;
  /** A status change starts the failure streak afresh. */
  private static final String UPDATE = """
      update profiles set title = $3, http_method = $4, url = $5, headers = $6, body = $7, response_message = $8,
        enc_algo = $9, enc_key = $10, enc_iv = $11, enc_params = $12, channel = $13, events = $14,
        dynamic_variables = $15, replacers = $16, status = $17, signing_secret = $18, previous_signing_secret = $19,
        previous_secret_expires_at = $20, modified_at = $22, body_type = $23, auth = $24, auth_secret = $25, policy = $26,
        revision = revision + 1,
        consecutive_failures = case when status <> $17 then 0 else consecutive_failures end,
        failing_since = case when status <> $17 then null else failing_since end,
        last_failure_at = case when status <> $17 then null else last_failure_at end
      where profile_id = $1 and sid = $2 and created_at = $21 and deleted_at is null
      """;
  private static final String DELETE = """
      update profiles set deleted_at = $3, revision = revision + 1
      where sid = $1 and profile_id = $2 and deleted_at is null
      """;
  private static final String FIND_FOR_DISPATCH = "select " + ProfileRows.COLUMNS + ", revision"
      + " from profiles where profile_id = any($1)";
  private static final String TITLE_INDEX = "profiles_title_per_account";

  private final Pool pool;
  private final ProfileRows rows;

  public PgProfileStore(Pool pool, SecretSealer sealer) {
    this.pool = pool;
    this.rows = new ProfileRows(sealer);
  }

  @Override
  public Future<CallbackProfile> insert(CallbackProfile profile) {
    return pool.preparedQuery(INSERT).execute(rows.toTuple(profile))
        .map(profile)
        .recover(PgProfileStore::titleConflict)
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<CallbackProfile>> find(String sid, String profileId) {
    return pool.preparedQuery(FIND).execute(Tuple.of(sid, profileId)).map(this::first)
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<ProfilePage> list(String sid, ProfileQuery q) {
    String titlePattern = q.title() == null ? null : "%" + q.title().replaceAll("([\\\\%_])", "\\\\$1") + "%";
    Short status = q.status() == null ? null : q.status().shortValue();
    Tuple filter = Tuple.of(sid, titlePattern, status, q.channel(), q.event());
    Tuple page = Tuple.of(sid, titlePattern, status, q.channel(), q.event(), q.limit(), q.offset());
    Future<List<CallbackProfile>> profiles = pool.preparedQuery(LIST).execute(page).map(this::all);
    Future<Long> total = pool.preparedQuery(COUNT).execute(filter).map(r -> r.iterator().next().getLong(0));
    return Future.all(profiles, total).map(done -> new ProfilePage(profiles.result(), total.result()))
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<CallbackProfile>> update(CallbackProfile profile) {
    boolean active = profile.status() == ProfileStatus.ACTIVE;
    return pool.withTransaction(tx -> tx.preparedQuery(UPDATE).execute(rows.toTuple(profile))
            .compose(result -> result.rowCount() == 1
                ? (active ? DeliveryTransitions.release(tx, profile.id(), Instant.now())
                    : DeliveryTransitions.hold(tx, List.of(profile.id())))
                    .compose(moved -> active && moved > 0
                        ? tx.query(DeliveryWakeup.NOTIFY_SQL).execute().map(Optional.of(profile))
                        : Future.succeededFuture(Optional.of(profile)))
                : Future.succeededFuture(Optional.<CallbackProfile>empty())))
        .recover(PgProfileStore::titleConflict)
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<Integer>> delete(String sid, String profileId) {
    Instant now = Instant.now();
    return pool.withTransaction(tx -> tx.preparedQuery(DELETE).execute(Tuple.of(sid, profileId, utc(now)))
        .compose(result -> result.rowCount() == 1
            ? DeliveryTransitions.cancel(tx, profileId, now).map(Optional::of)
            : Future.succeededFuture(Optional.<Integer>empty())))
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<List<VersionedProfile>> findForDispatch(List<String> profileIds) {
    return pool.preparedQuery(FIND_FOR_DISPATCH).execute(Tuple.of(profileIds.toArray(String[]::new)))
        .map(result -> {
          List<VersionedProfile> profiles = new ArrayList<>(result.size());
          result.forEach(row -> profiles.add(new VersionedProfile(rows.toProfile(row), row.getLong("revision"))));
          return profiles;
        });
  }

  private Optional<CallbackProfile> first(RowSet<Row> result) {
    return result.size() == 0 ? Optional.empty() : Optional.of(rows.toProfile(result.iterator().next()));
  }

  private List<CallbackProfile> all(RowSet<Row> result) {
    List<CallbackProfile> profiles = new ArrayList<>(result.size());
    result.forEach(row -> profiles.add(rows.toProfile(row)));
    return profiles;
  }

  private static <T> Future<T> titleConflict(Throwable error) {
    return Future.failedFuture(SqlErrors.isUniqueViolation(error, TITLE_INDEX)
        ? ClientProblem.conflict(Violation.body("body/title must be unique: this account already has a profile with this title"))
        : error);
  }
}
