package io.callbackengine.api.auth;

import io.callbackengine.store.account.AccountStore;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Which account an api key belongs to, remembered so that a request does not cost a database round trip for its key.
 *
 * <p>Revocation must still take effect at once. A revocation clears the cache in the process that made it before it
 * answers, and every process clears its own when the revoking transaction's NOTIFY arrives (milliseconds after the
 * commit). The cache is only trusted while that notification channel is listening: while it is not, every request
 * asks the database, and when it is back the cache starts empty, since notifications sent meanwhile are lost. An
 * entry also ages out after {@code maxAge}, a bound on staleness should a notification ever go astray.
 *
 * <p>Only keys that were found are remembered: unknown keys always reach the database, so guessing cannot fill the
 * cache. A look-up that started before a clear does not store its (possibly revoked) answer after it.
 */
public final class KeyCache {

  private final AccountStore accounts;
  private final long maxAgeNanos;
  private final int capacity;
  private final BooleanSupplier listening;
  private final LongSupplier nanoTime;
  private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  private record Entry(String sid, long storedAt) {
  }

  /**
   * @param maxAge how long a remembered key is trusted at most; zero turns the cache off
   * @param listening whether revocation notifications are being received right now
   */
  public KeyCache(AccountStore accounts, Duration maxAge, int capacity, BooleanSupplier listening, LongSupplier nanoTime) {
    this.accounts = accounts;
    this.maxAgeNanos = maxAge.toNanos();
    this.capacity = capacity;
    this.listening = listening;
    this.nanoTime = nanoTime;
  }

  /** A cache that remembers nothing: every look-up asks the database. */
  public static KeyCache off(AccountStore accounts) {
    return new KeyCache(accounts, Duration.ZERO, 0, () -> false, System::nanoTime);
  }

  /** The account of the unrevoked key with this hash. */
  public Future<Optional<String>> sidOfKey(byte[] keyHash) {
    ByteBuffer key = ByteBuffer.wrap(keyHash);
    boolean trusted = maxAgeNanos > 0 && listening.getAsBoolean();
    if (trusted) {
      Entry entry = entries.get(key);
      if (entry != null && nanoTime.getAsLong() - entry.storedAt < maxAgeNanos) {
        return Future.succeededFuture(Optional.of(entry.sid));
      }
    }
    long asked = generation.get();
    long askedAt = nanoTime.getAsLong();
    return accounts.sidOfKey(keyHash).onSuccess(sid -> {
      if (trusted && sid.isPresent()) {
        remember(key, new Entry(sid.get(), askedAt), asked);
      }
    });
  }

  /** Forgets every key: some key was revoked, here or in another process, or notifications may have been missed. */
  public void clear() {
    generation.incrementAndGet();
    entries.clear();
  }

  private void remember(ByteBuffer key, Entry entry, long asked) {
    if (entries.size() >= capacity) {
      entries.clear();
    }
    entries.put(key, entry);
    // A clear() that ran while the database was asked may have been for this very key: undo the put.
    if (generation.get() != asked) {
      entries.remove(key, entry);
    }
  }
}
