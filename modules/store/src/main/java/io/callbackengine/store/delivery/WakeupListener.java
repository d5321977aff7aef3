package io.callbackengine.store.delivery;

import io.callbackengine.store.DatabaseSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.spi.ConnectionFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the schema's {@link DeliveryWakeup} notifications on a connection of its own (a pooled connection cannot
 * be trusted with notifications), and keeps that connection honest. A listening connection is silent by nature, so
 * one that died without a word (a network gone quiet, a failover) would go unnoticed and wake-ups would stop while
 * the backstop poll hid it: every third of the socket timeout the listener re-issues its (idempotent) {@code LISTEN},
 * and the socket timeout closes a connection that does not answer. A connection that closes or fails (server
 * restart, {@code pg_terminate_backend}) is replaced after a second, for as long as the listener runs; opening one is
 * bounded by the same connect and socket timeouts as the pool's. Each new connection wakes the dispatcher once, for
 * whatever became due while nobody listened.
 *
 * <p>Everything runs on the context that called {@link #start()}, so wake-ups reach the dispatcher on its own
 * event loop.
 */
public final class WakeupListener {

  private static final Logger LOG = LoggerFactory.getLogger(WakeupListener.class);
  private static final long RETRY_DELAY_MS = 1000;

  private final Vertx vertx;
  private final ConnectionFactory<PgConnectOptions> connections;
  private final PgConnectOptions options;
  private final String listen;
  private final Duration heartbeat;
  private final Runnable onWakeup;

  private Context context;
  private PgConnection connection;
  private long heartbeatTimer = -1;
  private boolean lostOnce;
  private boolean stopped;

  public WakeupListener(Vertx vertx, DatabaseSettings database, Runnable onWakeup) {
    this.vertx = vertx;
    this.connections = new PgDriver().createConnectionFactory(vertx, database.netClientOptions());
    this.options = database.connectOptions();
    this.listen = "LISTEN \"" + DeliveryWakeup.channel(database.schema()) + "\"";
    this.heartbeat = database.socketTimeout().dividedBy(3);
    this.onWakeup = onWakeup;
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
          pg.notificationHandler(notification -> onWakeup.run());
          pg.closeHandler(v -> lost(pg));
          return pg.query(listen).execute().map(pg).onFailure(e -> pg.close());
        })
        .andThen(result -> {
          if (result.failed()) {
            LOG.warn("Listening for new deliveries failed, relying on the poll until it works: {}",
                result.cause().toString());
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
            LOG.info("Listening for new deliveries again");
          }
          onWakeup.run();
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
      LOG.warn("Lost the connection listening for new deliveries, reconnecting");
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
