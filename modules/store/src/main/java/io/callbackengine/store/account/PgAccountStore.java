package io.callbackengine.store.account;

import static io.callbackengine.store.PgTimestamps.instant;
import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.account.Account;
import io.callbackengine.domain.account.ApiKey;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.callbackengine.store.SqlErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AccountStore} on PostgreSQL: every statement that reads or writes accounts and api keys, but for the publish
 * statement ({@code PgEventStore}), which joins accounts to drop events of an account that does not exist.
 */
public final class PgAccountStore implements AccountStore {

  private static final String INSERT_ACCOUNT = """
      insert into accounts (sid, name, created_at) values ($1, $2, $3)
      """;
  private static final String INSERT_KEY = """
      insert into api_keys (key_id, sid, prefix, key_hash, created_at) values ($1, $2, $3, $4, $5)
      """;
  private static final String FIND_ACCOUNT = """
      select sid, name, created_at from accounts where sid = $1
      """;
  private static final String LIST_ACCOUNTS = """
      select sid, name, created_at from accounts order by created_at, sid limit $1 offset $2
      """;
  private static final String COUNT_ACCOUNTS = """
      select count(*) from accounts
      """;
  private static final String LIST_KEYS = """
      select key_id, sid, prefix, key_hash, created_at, revoked_at from api_keys where sid = $1 order by created_at, key_id
      """;
  /** Tells every API process to forget the keys it remembers (see {@link KeyRevocations}), on commit. */
  private static final String REVOKE_KEY = """
      with revoked as (
        update api_keys set revoked_at = $3 where sid = $1 and key_id = $2 and revoked_at is null returning key_id
      )
      select key_id, pg_notify('callback_keys_' || current_schema(), '') from revoked
      """;
  private static final String SID_OF_KEY = """
      select sid from api_keys where key_hash = $1 and revoked_at is null
      """;

  private final Pool pool;

  public PgAccountStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Account> create(Account account, ApiKey firstKey) {
    return pool.withTransaction(tx -> tx.preparedQuery(INSERT_ACCOUNT)
            .execute(Tuple.of(account.sid(), account.name(), utc(account.createdAt())))
            .compose(inserted -> insertKey(tx, firstKey)))
        .map(account)
        .recover(error -> Future.failedFuture(
            SqlErrors.isUniqueViolation(error, "accounts_pkey")
                ? ClientProblem.conflict(Violation.body("body/sid must be unique: an account with this sid exists"))
                : error))
        .recover(SqlErrors::translated);
  }

  private static Future<ApiKey> insertKey(SqlClient client, ApiKey key) {
    return client.preparedQuery(INSERT_KEY)
        .execute(Tuple.of(key.keyId(), key.sid(), key.prefix(), Buffer.buffer(key.hash()), utc(key.createdAt())))
        .map(key);
  }

  @Override
  public Future<Optional<Account>> find(String sid) {
    return pool.preparedQuery(FIND_ACCOUNT).execute(Tuple.of(sid))
        .map(rows -> rows.size() == 0 ? Optional.<Account>empty() : Optional.of(account(rows.iterator().next())))
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<List<Account>> list(int limit, int offset) {
    return pool.preparedQuery(LIST_ACCOUNTS).execute(Tuple.of(limit, offset))
        .map(rows -> {
          List<Account> accounts = new ArrayList<>(rows.size());
          rows.forEach(row -> accounts.add(account(row)));
          return accounts;
        })
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Long> count() {
    return pool.query(COUNT_ACCOUNTS).execute().map(rows -> rows.iterator().next().getLong(0))
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<ApiKey> addKey(ApiKey key) {
    return insertKey(pool, key).recover(SqlErrors::translated);
  }

  @Override
  public Future<List<ApiKey>> keys(String sid) {
    return pool.preparedQuery(LIST_KEYS).execute(Tuple.of(sid))
        .map(rows -> {
          List<ApiKey> keys = new ArrayList<>(rows.size());
          rows.forEach(row -> keys.add(new ApiKey(row.getString("key_id"), row.getString("sid"),
              row.getString("prefix"), row.getBuffer("key_hash").getBytes(), instant(row, "created_at"),
              instant(row, "revoked_at"))));
          return keys;
        })
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Boolean> revokeKey(String sid, String keyId) {
    return pool.preparedQuery(REVOKE_KEY).execute(Tuple.of(sid, keyId, utc(Instant.now())))
        .map(rows -> rows.size() == 1)
        .recover(SqlErrors::translated);
  }

  @Override
  public Future<Optional<String>> sidOfKey(byte[] keyHash) {
    return pool.preparedQuery(SID_OF_KEY).execute(Tuple.of(Buffer.buffer(keyHash)))
        .map(rows -> rows.size() == 0 ? Optional.<String>empty() : Optional.of(rows.iterator().next().getString(0)))
        .recover(SqlErrors::translated);
  }

  private static Account account(Row row) {
    return new Account(row.getString("sid"), row.getString("name"), instant(row, "created_at"));
  }

}
