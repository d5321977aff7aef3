package io.callbackengine.store.account;

import io.callbackengine.domain.account.Account;
import io.callbackengine.domain.account.ApiKey;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Accounts and their api keys. Keys are found by their hash only. */
public interface AccountStore {

  /** Stores a new account with its first key; fails with a 409 problem when the sid is taken. */
  Future<Account> create(Account account, ApiKey firstKey);

  Future<Optional<Account>> find(String sid);

  Future<List<Account>> list(int limit, int offset);

  Future<Long> count();

  Future<ApiKey> addKey(ApiKey key);

  Future<List<ApiKey>> keys(String sid);

  /** Revokes a key of this account at once; false when no such unrevoked key exists. */
  Future<Boolean> revokeKey(String sid, String keyId);

  /** The account an unrevoked key with this hash belongs to. */
  Future<Optional<String>> sidOfKey(byte[] keyHash);
}
