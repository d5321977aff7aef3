package io.callbackengine.app;

import io.callbackengine.api.NotifiedCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one LISTEN connection through which an API process hears what changed in the database (key revocations,
 * profile changes), for its {@link NotifiedCache}s. The caches are trusted only while it listens: PostgreSQL's
 * subscriber asks its reconnect policy exactly when the connection is lost, which is where trust ends, and when the
 * channels are listened to again every cache starts empty, since what was notified meanwhile is lost. It reconnects
 * every second, for ever.
 */
final class ChangeListener {

  private final PgSubscriber subscriber;
  private final AtomicBoolean listening = new AtomicBoolean();
  private final List<NotifiedCache<?, ?>> caches = new CopyOnWriteArrayList<>();

  ChangeListener(Vertx vertx, PgConnectOptions options) {
    this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempt -> {
      listening.set(false);
      return 1000L;
    });
  }

  /** A cache trusted while this listens, emptied whenever listening starts again. */
  <K, V> NotifiedCache<K, V> cache(Duration maxAge, int capacity) {
    NotifiedCache<K, V> cache = new NotifiedCache<>(maxAge, capacity, listening::get, System::nanoTime);
    caches.add(cache);
    return cache;
  }

  /** Calls {@code changed} with each notification's payload on {@code channel}. Before {@link #connect()}. */
  ChangeListener on(String channel, Handler<String> changed) {
    subscriber.channel(channel)
        .subscribeHandler(subscribed -> {
          caches.forEach(NotifiedCache::clear);
          listening.set(true);
        })
        .handler(changed);
    return this;
  }

  Future<Void> connect() {
    return subscriber.connect();
  }
}
