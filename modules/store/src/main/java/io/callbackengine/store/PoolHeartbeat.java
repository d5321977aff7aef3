package io.callbackengine.store;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Keeps a process's idle pooled connections open, and honest. The socket timeout closes a connection on which nothing
 * arrives for that long ({@link DatabaseSettings#netClientOptions()}), and an idle connection hears nothing: so until
 * 2026-12-03 the pools retired connections idle for half the socket timeout (5 s by default), and the first requests
 * after any quiet spell paid for new PostgreSQL backends and prepared every statement on them again. In the
 * benchmark's first tenth of a second after a pause, publishes were acknowledged in up to 272 ms instead of 33 with
 * connections kept (README, Performance, fifteenth session).
 *
 * <p>Now every pooled connection {@code LISTEN}s on a channel of its schema as it opens ({@link #onConnect}), and each
 * process notifies that channel every third of the socket timeout ({@link #start}): PostgreSQL sends the notification
 * to every idle listening backend at once, so every idle connection hears from its server, and the pools keep idle
 * connections for {@link DatabaseSettings#IDLE_RETIREMENT}. A connection that hears nothing (a silent server, a dead
 * network) is still closed by the socket timeout, as before. The notifications are ignored on arrival: no pooled
 * connection has a notification handler.
 */
public final class PoolHeartbeat {

  private static final String NOTIFY = "select pg_notify($1, '')";

  private PoolHeartbeat() {
  }

  /** The heartbeat channel of {@code schema}: engines on other schemas of the database do not hear it. */
  public static String channel(String schema) {
    return "callback_pool_heartbeat_" + schema;
  }

  /**
   * For {@code ClientBuilder.withConnectHandler}: each new pooled connection listens on the heartbeat channel, then goes
   * to the pool (whether or not {@code LISTEN} succeeded: a connection that cannot listen is closed by the socket
   * timeout once idle, as every connection was before).
   */
  public static Handler<SqlConnection> onConnect(String schema) {
    String listen = "LISTEN \"" + channel(schema) + "\"";
    return connection -> connection.query(listen).execute().onComplete(done -> connection.close());
  }

  /**
   * Notifies the heartbeat channel of {@code settings}' schema through {@code pool} every third of the socket timeout,
   * one notification at a time (a beat that hangs on a silent server is not stacked by the next).
   *
   * @return the periodic timer's id
   */
  public static long start(Vertx vertx, Pool pool, DatabaseSettings settings) {
    Tuple channel = Tuple.of(channel(settings.schema()));
    boolean[] beating = {false};
    return vertx.setPeriodic(Math.max(1, settings.socketTimeout().dividedBy(3).toMillis()), id -> {
      if (beating[0]) {
        return;
      }
      beating[0] = true;
      pool.preparedQuery(NOTIFY).execute(channel).onComplete(done -> beating[0] = false);
    });
  }
}
