package io.callbackengine.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.spi.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives PostgreSQL notifications on some channels (delivery wake-ups, key revocations, profile changes) on a
 * connection of its own (a pooled connection cannot be trusted with notifications), and keeps that connection honest. A listening connection is silent by nature, so
 * one that died without a word (a network gone quiet, a failover) would go unnoticed and wake-ups would stop while
 * the backstop poll hid it: every third of the socket timeout the listener re-issues its (idempotent) {@code LISTEN},
 * and the socket timeout closes a connection that does not answer. A connection that closes or fails (server
 * restart, {@code pg_terminate_backend}) is replaced after a second, for as long as the listener runs; opening one is
 * bounded by the same connect and socket timeouts as the pool's. Whoever listens is told when listening starts (on
 * each new connection: what was notified while nobody listened is lost) and when the connection is lost.
 *
 * <p>Everything runs on the context that called {@link #start()}, so notifications reach, say, a dispatcher on its
 * own event loop.
 */
public final class NotificationListener {

  /** What the owner does on each channel's notifications, and when listening starts and stops. */
  public interface Listener {
    /** A notification on {@code channel}, with its payload. */
    void notified(String channel, String payload);

    /** Listening (again) on a new connection: anything notified meanwhile was missed. */
    void listening();

    /** The connection is gone; notifications are missed until {@link #listening()}. */
    default void lost() {
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(NotificationListener.class);
  private static final long RETRY_DELAY_MS = 1000;

  private final Vertx vertx;
  private final ConnectionFactory<PgConnectOptions> connections;
  private final PgConnectOptions options;
  private final String listen;
  private final Duration heartbeat;
  private final Listener listener;
  private final String what;

  private Context context;
  private PgConnection connection;
  private long heartbeatTimer = -1;
  private boolean lostOnce;
  private boolean stopped;

  /** @param what what is listened for, for log lines ("new deliveries") */
  public NotificationListener(Vertx vertx, DatabaseSettings database, List<String> channels, String what,
      Listener listener) {
    this(vertx, database, null, channels, what, listener);
  }

  /**
   * @param role names the listening connection ({@link DatabaseSettings#roleApplicationName(String)}), or null
   * @param what what is listened for, for log lines ("new deliveries")
   */
  public NotificationListener(Vertx vertx, DatabaseSettings database, String role, List<String> channels, String what,
      Listener listener) {
    this.vertx = vertx;
    this.connections = new PgDriver().createConnectionFactory(vertx, database.netClientOptions());
    this.options = role == null ? database.connectOptions() : database.connectOptions(role);
    this.listen = channels.stream().map(channel -> "LISTEN \"" + channel + "\"").collect(Collectors.joining("; "));
    this.heartbeat = database.socketTimeout().dividedBy(3);
    this.listener = listener;
    this.what = what;
  }

  /**
   * Starts listening from the current context; the future tells whether the first connection listens (the listener
   * keeps trying either way).
   */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    return connect();
  }

  private Future<Void> connect() {
    if (stopped) {
      return Future.succeededFuture();
    }
    return connections.connect(context, options)
        .map(PgConnection::cast)
        .compose(pg -> {
          pg.notificationHandler(notification -> listener.notified(notification.getChannel(), notification.getPayload()));
          pg.closeHandler(v -> lost(pg));
          return pg.query(listen).execute().map(pg).onFailure(e -> pg.close());
        })
        .andThen(result -> {
          if (result.failed()) {
            LOG.warn("Listening for {} failed, retrying every second: {}", what, result.cause().toString());
            retryLater();
            return;
          }
          PgConnection pg = result.result();
          if (stopped) {
            pg.close();
            return;
          }
          connection = pg;
          heartbeatTimer = vertx.setPeriodic(Math.max(1, heartbeat.toMillis()), id -> beat(pg));
          if (lostOnce) {
            LOG.info("Listening for {} again", what);
          }
          listener.listening();
        })
        .mapEmpty();
  }

  private void beat(PgConnection pg) {
    pg.query(listen).execute().onFailure(e -> pg.close());
  }

  private void lost(PgConnection pg) {
    if (connection != pg) {
      return; // closed before it listened: connect() already arranged the retry
    }
    connection = null;
    vertx.cancelTimer(heartbeatTimer);
    if (!stopped) {
      lostOnce = true;
      LOG.warn("Lost the connection listening for {}, reconnecting", what);
      listener.lost();
      retryLater();
    }
  }

  private void retryLater() {
    if (!stopped) {
      vertx.setTimer(RETRY_DELAY_MS, id -> connect());
    }
  }

  /** Stops listening and closes the connection. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(heartbeatTimer);
    PgConnection pg = connection;
    connection = null;
    Future<Void> closed = pg != null ? pg.close() : Future.succeededFuture();
    Promise<Void> factoryClosed = Promise.promise();
    connections.close(factoryClosed);
    return Future.join(closed, factoryClosed.future()).mapEmpty();
  }
}
