package io.callbackengine.api;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Values read from the database and kept in memory for as long as this process hears of every change to them: the
 * statement (or trigger) that changes one sends a PostgreSQL NOTIFY, delivered on commit, and the listener calls
 * {@link #forget} or {@link #clear}. While the notification connection is down nothing is served from memory, and
 * the owner clears the cache when it is back, since notifications sent meanwhile are lost. An entry also ages out
 * after {@code maxAge}, a bound on staleness should a notification ever go astray.
 *
 * <p>A read that started before a change was heard does not store its (possibly outdated) answer after it. When
 * {@code capacity} entries are held the cache starts over, which is cheap and keeps memory bounded.
 *
 * <p>Thread-safe: HTTP event loops read concurrently and the listener clears from its own.
 */
public final class NotifiedCache<K, V> {

  private final long maxAgeNanos;
  private final int capacity;
  private final BooleanSupplier listening;
  private final LongSupplier nanoTime;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  private record Entry<V>(V value, long storedAt) {
  }

  /**
   * @param maxAge how long an entry is served at most; zero turns the cache off
   * @param listening whether change notifications are being received right now
   */
  public NotifiedCache(Duration maxAge, int capacity, BooleanSupplier listening, LongSupplier nanoTime) {
    this.maxAgeNanos = maxAge.toNanos();
    this.capacity = capacity;
    this.listening = listening;
    this.nanoTime = nanoTime;
  }

  /** A cache that keeps nothing: every read goes to the database. */
  public static <K, V> NotifiedCache<K, V> off() {
    return new NotifiedCache<>(Duration.ZERO, 0, () -> false, System::nanoTime);
  }

  /** The value from memory when it is fresh and trusted, else from {@code load}; kept when {@code worthKeeping}. */
  public Future<V> get(K key, Function<K, Future<V>> load, Predicate<V> worthKeeping) {
    boolean trusted = maxAgeNanos > 0 && listening.getAsBoolean();
    if (trusted) {
      Entry<V> entry = entries.get(key);
      if (entry != null && nanoTime.getAsLong() - entry.storedAt < maxAgeNanos) {
        return Future.succeededFuture(entry.value);
      }
    }
    long heard = changes.get();
    long askedAt = nanoTime.getAsLong();
    return load.apply(key).onSuccess(value -> {
      if (trusted && worthKeeping.test(value)) {
        keep(key, new Entry<>(value, askedAt), heard);
      }
    });
  }

  /** {@code key} changed, here or elsewhere. */
  public void forget(K key) {
    changes.incrementAndGet();
    entries.remove(key);
  }

  /** Anything may have changed. */
  public void clear() {
    changes.incrementAndGet();
    entries.clear();
  }

  private void keep(K key, Entry<V> entry, long heard) {
    if (entries.size() >= capacity) {
      entries.clear();
    }
    // A change heard while the database was read may concern this very key: then the answer is not kept. The check
    // runs under the key's lock, which forget and clear take after counting their change, so an answer read before
    // a change is never visible once the change was heard (storing first and taking back after let other threads
    // read it in between, for as long as this thread was descheduled), nor does it displace an answer read after.
    entries.compute(key, (k, current) -> changes.get() == heard ? entry : current);
  }
}
