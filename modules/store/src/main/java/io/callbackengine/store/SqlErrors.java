package io.callbackengine.store;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;

/** SQLSTATE checks the stores use to turn database errors into domain answers; nothing outside the store needs them. */
public final class SqlErrors {

  private SqlErrors() {
  }

  /**
   * How a store fails: with {@link StoreUnavailableException} when the database was unavailable, otherwise with
   * {@code error} itself. For {@code recover} at the end of every store method.
   */
  public static <T> Future<T> translated(Throwable error) {
    return Future.failedFuture(!(error instanceof StoreUnavailableException) && isUnavailable(error)
        ? new StoreUnavailableException(error) : error);
  }

  public static boolean isUniqueViolation(Throwable error, String constraint) {
    return error instanceof PgException pg && "23505".equals(pg.getSqlState())
        && (constraint == null || constraint.equals(pg.getConstraint()));
  }

  /**
   * Whether {@code error}, or one of its causes, says the database could not be reached or could not take the
   * statement now, as opposed to refusing it: no connection could be opened (refused, timed out), the pool had none
   * free in time or too many requests were already waiting for one, the connection closed or was reset under the
   * statement (server restart, {@code pg_terminate_backend}, socket timeout, an I/O error such as "Connection reset"
   * when the statement was written to a socket the server had already closed), or the server answered with a connection-class
   * (08) or operator-intervention (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now) SQLSTATE,
   * or too many connections (53300). Retrying later can succeed.
   */
  public static boolean isUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ClosedConnectionException || t instanceof ConnectException
          || t instanceof ConnectTimeoutException || t instanceof ConnectionPoolTooBusyException
          || t instanceof IOException) {
        return true;
      }
      if (t instanceof PgException pg && isUnavailableState(pg.getSqlState())) {
        return true;
      }
      if (t instanceof VertxException && (String.valueOf(t.getMessage()).contains("Timeout")
          || String.valueOf(t.getMessage()).startsWith("Connection is not active"))) {
        return true; // the pool's "Timeout waiting for connection"; a statement sent on a connection that just closed
      }
    }
    return false;
  }

  private static boolean isUnavailableState(String state) {
    return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
        || state.equals("57P03") || state.equals("53300"));
  }
}
