package io.callbackengine.app;

import io.callbackengine.api.NotifiedCache;
import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.NotificationListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * How an API process hears what changed in the database (key revocations, profile changes) for its
 * {@link NotifiedCache}s: one {@link NotificationListener} connection. The caches are trusted only while it listens;
 * when it listens again after a loss every cache starts empty, since what was notified meanwhile is lost. A
 * connection that dies silently is noticed within the database socket timeout, which bounds how stale a cache can
 * be then; {@code api.cache-max-age} bounds it always.
 */
final class ChangeListener {

  private final AtomicBoolean listening = new AtomicBoolean();
  private final List<NotifiedCache<?, ?>> caches = new CopyOnWriteArrayList<>();
  private final Map<String, Consumer<String>> channels = new LinkedHashMap<>();
  private volatile NotificationListener listener;

  /** A cache trusted while this listens, emptied whenever listening starts again. */
  <K, V> NotifiedCache<K, V> cache(Duration maxAge, int capacity) {
    NotifiedCache<K, V> cache = new NotifiedCache<>(maxAge, capacity, listening::get, System::nanoTime);
    caches.add(cache);
    return cache;
  }

  /** Calls {@code changed} with each notification's payload on {@code channel}. Before {@link #start}. */
  ChangeListener on(String channel, Consumer<String> changed) {
    channels.put(channel, changed);
    return this;
  }

  /** Listens from now on, reconnecting for ever; the future tells whether the first connection listens. */
  Future<Void> start(Vertx vertx, DatabaseSettings database) {
    listener = new NotificationListener(vertx, database, List.copyOf(channels.keySet()), "changes to keys and profiles",
        new NotificationListener.Listener() {
          @Override
          public void notified(String channel, String payload) {
            channels.getOrDefault(channel, ignored -> { }).accept(payload);
          }

          @Override
          public void listening() {
            caches.forEach(NotifiedCache::clear);
            listening.set(true);
          }

          @Override
          public void lost() {
            listening.set(false);
          }
        });
    return listener.start();
  }

  /** Stops listening (and trusting the caches); a no-op when it never started. */
  Future<Void> stop() {
    listening.set(false);
    return listener == null ? Future.succeededFuture() : listener.stop();
  }
}
