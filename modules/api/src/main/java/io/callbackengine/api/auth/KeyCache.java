package io.callbackengine.api.auth;

import io.callbackengine.api.NotifiedCache;
import io.callbackengine.store.account.AccountStore;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Which account an api key belongs to, remembered (see {@link NotifiedCache}) so that a request does not cost a
 * database round trip for its key. Revocation still takes effect at once: the revoking process clears the cache
 * before it answers, and every other process when the revoking statement's NOTIFY arrives, milliseconds after the
 * commit. Only keys that were found are remembered: unknown keys always reach the database, so guessing cannot fill
 * the cache.
 */
public final class KeyCache {

  private final AccountStore accounts;
  private final NotifiedCache<ByteBuffer, Optional<String>> sids;

  public KeyCache(AccountStore accounts, NotifiedCache<ByteBuffer, Optional<String>> sids) {
    this.accounts = accounts;
    this.sids = sids;
  }

  /** A cache that remembers nothing: every look-up asks the database. */
  public static KeyCache off(AccountStore accounts) {
    return new KeyCache(accounts, NotifiedCache.off());
  }

  /** The account of the unrevoked key with this hash. */
  public Future<Optional<String>> sidOfKey(byte[] keyHash) {
    return sids.get(ByteBuffer.wrap(keyHash), key -> accounts.sidOfKey(keyHash), Optional::isPresent);
  }

  /** Forgets every key: some key was revoked, here or in another process. */
  public void clear() {
    sids.clear();
  }
}
